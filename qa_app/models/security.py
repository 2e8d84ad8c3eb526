"""Sign-in throttling state, kept in the database so every worker and app server shares it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.base_model import utcnow
from qa_app.extensions import db


class SignInFailure(db.Model):
    """One failed sign-in, counted against the account (email) and the address it came from.

    Keys are hashes, so the table holds no email address typed by mistake or by an attacker.
    Rows older than the throttling window are deleted as new failures arrive.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_scope_key_at", "scope", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account" or "address".
    scope: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
