"""Keeping what was typed when a save arrives after the session ended (or its CSRF token did).

The posted fields are held under a random token for the user who provably posted them (see
``qa_app.auth.form_owner``); after signing in again that user, and only that user, returns to the
same page with the held text in the form, and nothing typed is lost.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from qa_app.base_model import utcnow
from qa_app.models import Audit, HeldForm

KEEP_FOR = timedelta(days=7)  # RETENTION_HELD_FORM_DAYS's default
MAX_FIELDS = 2000
# What is held is bounded: a real page of answers is far smaller than this, and only the newest
# few holds per audit and user are kept (one user's posts never evict another's).
MAX_HELD_CHARACTERS = 1_000_000
MAX_HELD_PER_AUDIT = 10


def hold_form(
    session: Session,
    audit_id: int,
    page: str,
    owner_id: int,
    form: MultiDict,
    keep_for: timedelta = KEEP_FOR,
) -> str | None:
    """Hold the posted fields of the audit's page for its owner and return the token, or None
    when nothing is held (not an audit of this user's, or more text than a page holds). Holds
    older than ``keep_for`` (the retention setting for held forms) are deleted on the way."""
    audit = session.get(Audit, audit_id)
    if audit is None or audit.auditor_id != owner_id:
        return None
    data = {
        name: form.getlist(name)
        for name in list(form.keys())[:MAX_FIELDS]
        if name != "csrf_token" and not name.startswith("action_")
    }
    if sum(len(value) for values in data.values() for value in values) > MAX_HELD_CHARACTERS:
        return None
    session.execute(delete(HeldForm).where(HeldForm.created_at < utcnow() - keep_for))
    newest = (
        select(HeldForm.id)
        .where(HeldForm.audit_id == audit_id, HeldForm.user_id == owner_id)
        .order_by(HeldForm.id.desc())
        .limit(MAX_HELD_PER_AUDIT - 1)
    )
    session.execute(
        delete(HeldForm).where(
            HeldForm.audit_id == audit_id,
            HeldForm.user_id == owner_id,
            HeldForm.id.not_in(newest),
        )
    )
    token = secrets.token_urlsafe(24)
    session.add(
        HeldForm(token=token, audit_id=audit_id, user_id=owner_id, page=page, form_data=data)
    )
    return token


def held_form(
    session: Session, token: str | None, audit_id: int, page: str, user_id: int
) -> MultiDict | None:
    """Return the fields this user had held for this audit's page, or None."""
    if not token:
        return None
    held = session.scalar(
        select(HeldForm).where(
            HeldForm.token == token,
            HeldForm.audit_id == audit_id,
            HeldForm.page == page,
            HeldForm.user_id == user_id,
        )
    )
    if held is None:
        return None
    return MultiDict([(name, value) for name, values in held.form_data.items() for value in values])


def release_held_form(session: Session, token: str | None) -> None:
    """Forget held fields once they have been saved."""
    if token:
        session.execute(delete(HeldForm).where(HeldForm.token == token))
