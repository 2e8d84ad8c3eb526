"""Event log entries in words: the action's name and each detail as "Label: value"."""

from __future__ import annotations

import json
from typing import Any

ACTION_NAMES = {
    "audit_started": "Audit started",
    "audit_saved": "Audit saved",
    "audit_submitted": "Audit submitted",
    "audit_returned": "Audit returned for changes",
    "export_downloaded": "Export downloaded",
    "cases_imported": "Case list imported",
    "concern_raised": "Safeguarding concern raised",
    "concern_acknowledged": "Safeguarding concern acknowledged",
    "access_log_downloaded": "Access log downloaded",
    "event_log_downloaded": "Event log downloaded",
    "retention_purge": "Retention purge",
}


def action_name(action: str) -> str:
    """Return the action in words: a known name, else the code with underscores as spaces."""
    return ACTION_NAMES.get(action) or action.replace("_", " ").capitalize()


def detail_label(key: str) -> str:
    """Return a detail's key in words, e.g. ``description_length`` as "Description length"."""
    return key.replace("_", " ").capitalize()


def detail_value(value: Any) -> str:
    """Return a detail's value in words: lists joined, yes or no, nested details in brackets."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(detail_value(item) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {detail_value(v)}" for k, v in value.items())
    return str(value)


def readable_details(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Return the event's details as (label, value) pairs in the order recorded."""
    return [(detail_label(str(key)), detail_value(value)) for key, value in (details or {}).items()]


def details_text(details: dict[str, Any] | None) -> str:
    """Return the details on one line for a CSV file, as JSON so nothing is lost."""
    return json.dumps(details or {}, sort_keys=True, default=str)
