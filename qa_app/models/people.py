"""Users and teams."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from qa_app.base_model import TimestampMixin
from qa_app.extensions import db

# werkzeug's strong default; the test suite swaps in a cheap method to stay fast.
PASSWORD_HASH_METHOD = "scrypt"


class Role(enum.StrEnum):
    AUDITOR = "auditor"
    MANAGER = "manager"
    # Moderates across every team and sees everything a manager sees, in every team.
    QA_LEAD = "qa_lead"
    ADMIN = "admin"
    # Reads dashboards and de-identified reports only: no case references, no written text.
    LEADER = "leader"

    @property
    def label(self) -> str:
        return {
            "auditor": "Auditor",
            "manager": "Manager",
            "qa_lead": "QA lead",
            "admin": "Administrator",
            "leader": "Leader",
        }[self.value]


# Roles that see audits beyond their own: managers (their team's), QA leads and admins (all).
MANAGING_ROLES = (Role.MANAGER, Role.QA_LEAD, Role.ADMIN)
# Roles that see every team's audits whatever team they belong to.
ALL_TEAM_ROLES = (Role.QA_LEAD, Role.ADMIN)


class Team(TimestampMixin, db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # A retired team keeps its cases and audits for the figures but takes no new ones.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised to end every session of the user: a session begun at an older epoch is refused.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when an administrator gives a one-time password: changed at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    team: Mapped[Team | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)

    def check_password(self, password: str) -> bool:
        """Return True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role | str) -> bool:
        """Return True when the user holds one of the roles (given as Role or its value)."""
        return self.role in {str(role) for role in roles}

    @property
    def sees_all_teams(self) -> bool:
        """True for QA leads and admins, and for managers without a team (heads of service)."""
        return self.has_role(*ALL_TEAM_ROLES) or (
            self.has_role(Role.MANAGER) and self.team_id is None
        )
