"""URL rules that share their compiled URL builders, so the tests' app per test is cheap to make.

Werkzeug compiles two small Python functions for every URL rule (one to build the URL with
unknown arguments appended as a query string, one without), from an AST, each time a rule is
added to a map. With about eighty routes that is nine tenths of ``create_app``, and the tests
make one app per test. A builder depends only on the rule's parsed parts and defaults, so rules
parsed alike can share one: the URLs built are the same (``tests/test_url_rules.py`` checks it
on every route), only the compiling is done once per session.
"""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.routing import Rule

_BUILDERS: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}


class SharedBuilderRule(Rule):
    """A werkzeug ``Rule`` whose compiled URL builders are kept and reused by equal rules."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        if self.defaults:
            # A default may be turned into a constant by the rule's converter: not shared.
            return super()._compile_builder(append_unknown)
        key = (tuple(self._trace), append_unknown)
        builder = _BUILDERS.get(key)
        if builder is None:
            builder = _BUILDERS[key] = super()._compile_builder(append_unknown)
        return builder
