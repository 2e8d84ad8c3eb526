"""Keeping written text's history in the revisions table, and fingerprinting it for the log."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.audits.change_log import Revisions
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.models import Audit, TextRevision, User

# Saves of one field by one person within this time (autosave every few seconds while typing)
# update one revision instead of adding one each.
REVISION_WINDOW = timedelta(minutes=30)


def text_fingerprint(text: str | None) -> str | None:
    """Return a keyed hash of the text (HMAC-SHA-256 with the app's secret key, 32 hex digits),
    so the log shows whether two versions are the same without a guess being checkable."""
    if not text:
        return None
    key = str(current_app.config["SECRET_KEY"]).encode() if has_app_context() else b""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def keep_revisions(session: Session, audit: Audit, author: User | None, revisions: Revisions):
    """Store each (field, text) as the field's newest revision; returns nothing."""
    if not revisions:
        return
    fields = [field for field, _ in revisions]
    latest: dict[str, TextRevision] = {}
    for revision in session.scalars(
        select(TextRevision)
        .where(TextRevision.audit_id == audit.id, TextRevision.field.in_(fields))
        .order_by(TextRevision.id)
    ):
        latest[revision.field] = revision
    now = utcnow()
    author_id = author.id if author is not None else None
    for field, text in revisions:
        revision = latest.get(field)
        if (
            revision is not None
            and revision.author_id == author_id
            and now - as_utc(revision.updated_at) < REVISION_WINDOW
        ):
            revision.text = text
            revision.updated_at = now
        else:
            revision = TextRevision(audit_id=audit.id, field=field, text=text, author_id=author_id)
            session.add(revision)


def latest_text(session: Session, audit: Audit, field: str) -> str | None:
    """Return the newest revision of a written field of the audit, or None."""
    return session.scalar(
        select(TextRevision.text)
        .where(TextRevision.audit_id == audit.id, TextRevision.field == field)
        .order_by(TextRevision.id.desc())
        .limit(1)
    )
