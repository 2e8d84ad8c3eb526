"""Audit rounds: a month's (or a period's) sample of cases, drawn by a recorded rule and seed."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.base_model import TimestampMixin
from qa_app.extensions import db
from qa_app.models.audits import Audit, Case
from qa_app.models.people import User
from qa_app.models.templates import TemplateVersion


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"  # the rule is set; the sample can be previewed and redrawn
    CONFIRMED = "confirmed"  # the sample is fixed; cases can be assigned to auditors


class AuditRound(TimestampMixin, db.Model):
    __tablename__ = "audit_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    # The sampling rule as entered (see qa_app/sampling/draw.py for its fields).
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=RoundStatus.DRAFT.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    template_version: Mapped[TemplateVersion] = relationship()
    created_by: Mapped[User | None] = relationship()
    cases: Mapped[list[RoundCase]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundCase.id"
    )


class RoundCase(db.Model):
    """A case drawn in a round, and the audit made of it once assigned."""

    __tablename__ = "round_cases"
    __table_args__ = (UniqueConstraint("round_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up by the unique (round_id, case_id) index.
    round_id: Mapped[int] = mapped_column(ForeignKey("audit_rounds.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stratum: Mapped[str] = mapped_column(String(200))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"), index=True)

    round: Mapped[AuditRound] = relationship(back_populates="cases")
    case: Mapped[Case] = relationship()
    audit: Mapped[Audit | None] = relationship()
