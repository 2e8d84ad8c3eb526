"""Form data kept when a save arrives after the user's session has ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.base_model import utcnow
from qa_app.extensions import db


class HeldForm(db.Model):
    """What an auditor typed, held until they sign in again and return to the same page."""

    __tablename__ = "held_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    # Whose session posted the form: only they can ever get it back.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    page: Mapped[str] = mapped_column(String(80))
    # The posted fields as {name: [values]}, without the CSRF token.
    form_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
