"""The tests' shared URL builders build exactly the URLs werkzeug's own rules build."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule

from qa_app import create_app
from tests.conftest import _test_config
from tests.url_rules import SharedBuilderRule

# A value for each converter the app's routes use, with characters that need quoting.
SAMPLE_VALUES = {"IntegerConverter": 7, "PathConverter": "a b/c%d", "UnicodeConverter": "x y&z"}


def _built_urls(app: Flask) -> dict[tuple[str, str], str]:
    adapter = app.url_map.bind("qa.test")
    urls = {}
    for rule in app.url_map.iter_rules():
        values = {
            name: SAMPLE_VALUES[type(converter).__name__]
            for name, converter in rule._converters.items()
        }
        urls[(rule.endpoint, rule.rule)] = adapter.build(rule.endpoint, values)
        # Unknown arguments go in the query string (the second compiled builder).
        urls[(rule.endpoint, rule.rule + "?")] = adapter.build(
            rule.endpoint, {**values, "next": "/a b?c=d"}
        )
    return urls


def test_shared_builders_build_the_same_urls_as_werkzeug_for_every_route(tmp_path):
    config = _test_config("sqlite://", tmp_path)
    shared_app = create_app(config)
    assert all(isinstance(rule, SharedBuilderRule) for rule in shared_app.url_map.iter_rules())
    Flask.url_rule_class = Rule
    try:
        plain_app = create_app(config)
    finally:
        Flask.url_rule_class = SharedBuilderRule
    assert not any(isinstance(rule, SharedBuilderRule) for rule in plain_app.url_map.iter_rules())

    shared, plain = _built_urls(shared_app), _built_urls(plain_app)
    assert len(shared) > 100
    assert shared == plain
