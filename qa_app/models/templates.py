"""Stored audit template versions."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.template_format.definition import TemplateDefinition


class TemplateVersion(db.Model):
    """One version of an audit template, kept forever: audits point at the exact version."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    definition_json: Mapped[dict[str, Any]] = mapped_column("definition", JSON)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255))
    source_text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @cached_property
    def definition(self) -> TemplateDefinition:
        """Return the parsed definition this version was loaded with."""
        return TemplateDefinition.from_dict(self.definition_json)

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"
