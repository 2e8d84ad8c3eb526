"""Parsed template definitions kept in memory, one per stored version.

A stored version never changes (audits point at it forever), so its parsed definition can be
kept for the life of the process instead of decoding 15-45 KB of JSON on every request. The key
includes the source hash: a database emptied and reloaded (tests, a restored backup) can give
a different version the same id, never the same id and hash.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from qa_app.template_format.definition import TemplateDefinition

# Far more versions than a council keeps in use; the oldest is dropped past this.
MOST_KEPT = 256

_parsed: OrderedDict[tuple[int, str], TemplateDefinition] = OrderedDict()
_lock = Lock()


def parsed_definition(
    version_id: int | None, source_hash: str, load_json: Callable[[], dict[str, Any]]
) -> TemplateDefinition:
    """Return the version's parsed definition, parsing ``load_json()`` only the first time."""
    if version_id is None:  # not stored yet: nothing to key it by
        return TemplateDefinition.from_dict(load_json())
    key = (version_id, source_hash)
    with _lock:
        found = _parsed.get(key)
        if found is not None:
            _parsed.move_to_end(key)
            return found
    definition = TemplateDefinition.from_dict(load_json())
    with _lock:
        _parsed[key] = definition
        while len(_parsed) > MOST_KEPT:
            _parsed.popitem(last=False)
    return definition


def is_parsed(version_id: int, source_hash: str) -> bool:
    """Return True when the version's definition is already held."""
    return (version_id, source_hash) in _parsed
