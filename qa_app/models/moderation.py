"""Moderation: the rules that choose audits for it, the draws, the queue, the moderator's
grades as drafted, and the auditor's response.

The outcome of a completed moderation is written onto the audit and its answers (the
``moderated_*`` columns beside the auditor's, never over them); these tables hold the working.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.base_model import TimestampMixin, utcnow
from qa_app.extensions import db
from qa_app.models.audits import Audit
from qa_app.models.people import User
from qa_app.models.sampling import AuditRound

DEFAULT_PERCENT = 20.0
DEFAULT_MINIMUM_PER_AUDITOR = 1
DEFAULT_ALWAYS_JUDGEMENTS = ("inadequate", "outstanding")
DEFAULT_DUE_WORKING_DAYS = 10


class ModerationRule(TimestampMixin, db.Model):
    """How audits are chosen for moderation: for one round, or (round_id None) for audits
    started outside any round."""

    __tablename__ = "moderation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_rounds.id", ondelete="CASCADE"), unique=True
    )
    percent: Mapped[float] = mapped_column(Float, default=DEFAULT_PERCENT)
    minimum_per_auditor: Mapped[int] = mapped_column(Integer, default=DEFAULT_MINIMUM_PER_AUDITOR)
    # Overall judgements (scale option values) whose audits are always moderated.
    always_judgements: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_ALWAYS_JUDGEMENTS)
    )
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    due_working_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_DUE_WORKING_DAYS)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    round: Mapped[AuditRound | None] = relationship()


class ModerationDraw(db.Model):
    """One draw of audits for moderation, with the rule as it stood and the seed, so it can be
    repeated and checked."""

    __tablename__ = "moderation_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_rounds.id", ondelete="CASCADE"), index=True
    )
    seed: Mapped[int] = mapped_column(Integer)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    selected: Mapped[int] = mapped_column(Integer, default=0)
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SelectionReason:
    SAMPLE = "sample"  # drawn at the rule's percentage
    JUDGEMENT = "judgement"  # its overall judgement is always moderated
    BY_HAND = "by_hand"  # picked by a moderator or QA lead

    LABELS = {
        "sample": "Drawn at random",
        "judgement": "Overall judgement always moderated",
        "by_hand": "Picked by hand",
    }


class ModerationSelection(TimestampMixin, db.Model):
    """An audit chosen for moderation: its place in the queue, who has taken it, and (in blind
    mode) the overall judgement the moderator committed before seeing the auditor's.

    Where the audit is in its moderation is its status (submitted or resubmitted: waiting;
    in_moderation: taken; moderated, closed: done). Returning the audit ends the moderation:
    the moderator and the drafted grades are cleared, and it waits again once resubmitted.
    """

    __tablename__ = "moderation_selections"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), unique=True)
    draw_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_draws.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    selected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    selected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    blind_overall: Mapped[str | None] = mapped_column(String(40))
    blind_committed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Optimistic locking, as for audits: a stale save of the drafted grades is refused.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    audit: Mapped[Audit] = relationship()
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    grades: Mapped[list[ModerationGrade]] = relationship(
        back_populates="selection", cascade="all, delete-orphan", order_by="ModerationGrade.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}


class ModerationGrade(db.Model):
    """The moderator's decision on one graded item (a criterion, ``<section>.judgement`` or
    ``overall``): agree, or their own grade with the reason for the change."""

    __tablename__ = "moderation_grades"
    __table_args__ = (UniqueConstraint("selection_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_selections.id", ondelete="CASCADE"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(80))
    agrees: Mapped[bool] = mapped_column(Boolean)
    value: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)

    selection: Mapped[ModerationSelection] = relationship(back_populates="grades")


class ModerationResponse(TimestampMixin, db.Model):
    """The auditor's response to the moderation of their audit: agree or disagree, and why."""

    __tablename__ = "moderation_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agrees: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User] = relationship()
