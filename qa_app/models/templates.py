"""Stored audit template versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_library.parsed_definitions import parsed_definition


class TemplateVersion(db.Model):
    """One version of an audit template, kept forever: audits point at the exact version."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # Deferred: a list that shows a version's title must never load its definition or source
    # (15-45 KB each); ``definition`` below reads the JSON only the first time per process.
    definition_json: Mapped[dict[str, Any]] = mapped_column("definition", JSON, deferred=True)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255))
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def definition(self) -> TemplateDefinition:
        """Return the parsed definition this version was loaded with (parsed once per process)."""
        return parsed_definition(self.id, self.source_hash, lambda: self.definition_json)

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"
