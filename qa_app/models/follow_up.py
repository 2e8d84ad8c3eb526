"""What an audit leads to: actions, and safeguarding concerns raised at once."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.base_model import TimestampMixin
from qa_app.extensions import db
from qa_app.models.audits import Audit, Case
from qa_app.models.people import Team, User


class ActionPriority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActionScope(enum.StrEnum):
    CASE = "case"  # for this child's case
    SERVICE = "service"  # a service-wide learning point


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class Action(TimestampMixin, db.Model):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    # The owner is a named user or, when not yet known, a role such as "Team manager".
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_role: Mapped[str | None] = mapped_column(String(120))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    priority: Mapped[str] = mapped_column(String(10), default=ActionPriority.MEDIUM.value)
    scope: Mapped[str] = mapped_column(String(10), default=ActionScope.CASE.value)
    status: Mapped[str] = mapped_column(String(10), default=ActionStatus.OPEN.value, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    audit: Mapped[Audit] = relationship()
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])


class SafeguardingConcern(TimestampMixin, db.Model):
    """An immediate concern about a child, raised during an audit and routed to the managers of
    the case's team. It stays open until a manager acknowledges it and records what was done."""

    __tablename__ = "safeguarding_concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    respond_by: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    response: Mapped[str | None] = mapped_column(Text)

    audit: Mapped[Audit] = relationship()
    case: Mapped[Case] = relationship()
    team: Mapped[Team] = relationship()
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
