"""Listeners told, inside the transaction that made it, when an audit's reported figures change.

Operations that change what reports count (submit, return, moderation, closing, retention) call
``audit_changed``; areas that keep derived data (the insight rollup, notifications) register a
listener with ``on_audit_changed`` when the app starts. No Flask here: the CLI and the job runner
go through the same operations.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

# (session, audit id, what happened: "submitted", "returned", "moderated", "closed", ...)
AuditChangeListener = Callable[[Session, int, str], None]

_listeners: dict[str, AuditChangeListener] = {}


def on_audit_changed(name: str, listener: AuditChangeListener) -> None:
    """Register (or replace, so app factories may run many times) a named listener."""
    _listeners[name] = listener


def audit_changed(session: Session, audit_id: int, change: str) -> None:
    """Tell every listener, in the caller's transaction, that the audit changed."""
    for listener in list(_listeners.values()):
        listener(session, audit_id, change)
