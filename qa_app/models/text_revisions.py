"""Written text's history, kept out of the append-only event log so retention can purge it."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.base_model import TimestampMixin
from qa_app.extensions import db


class TextRevision(TimestampMixin, db.Model):
    """One version of a written field of an audit: a rationale, a written answer, the override
    reason, the worker's reflection, the family's feedback or a reason for returning it.

    The event log records only that the field changed (its lengths and a keyed hash); the text
    itself is here, and past the council's retention period it is deleted with the audit's
    other written text. A run of saves by the same person updates one revision rather than
    adding one per autosave.
    """

    __tablename__ = "text_revisions"
    __table_args__ = (Index("ix_text_revisions_audit_field", "audit_id", "field", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    # e.g. "rationale:risk", "answer:notes", "override_reason", "family_feedback",
    # "return_reason".
    field: Mapped[str] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
