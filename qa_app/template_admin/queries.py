"""Read-only questions about stored template versions, for the templates pages and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.models import Audit, TemplateVersion


@dataclass(frozen=True)
class VersionSummary:
    """One stored version as the templates list shows it."""

    id: int
    key: str
    version: int
    title: str
    loaded_at: datetime
    source_name: str
    audits: int


@dataclass
class TemplateSummary:
    """A template (by key) and its versions, newest first."""

    key: str
    versions: list[VersionSummary] = field(default_factory=list)

    @property
    def latest(self) -> VersionSummary:
        return self.versions[0]

    @property
    def total_audits(self) -> int:
        return sum(version.audits for version in self.versions)


def template_summaries(session: Session) -> list[TemplateSummary]:
    """Return every template with its versions (newest first) and how many audits use each.

    One statement: the audits are counted per version in SQL and joined to the versions, so the
    page costs the same however many audits there are. The stored definitions are not loaded.
    """
    counts = (
        select(Audit.template_version_id, func.count(Audit.id).label("audits"))
        .group_by(Audit.template_version_id)
        .subquery()
    )
    rows = session.execute(
        select(
            TemplateVersion.id,
            TemplateVersion.key,
            TemplateVersion.version,
            TemplateVersion.title,
            TemplateVersion.loaded_at,
            TemplateVersion.source_name,
            func.coalesce(counts.c.audits, 0),
        )
        .outerjoin(counts, counts.c.template_version_id == TemplateVersion.id)
        .order_by(TemplateVersion.key, TemplateVersion.version.desc())
    )
    summaries: dict[str, TemplateSummary] = {}
    for row in rows:
        version = VersionSummary(*row)
        summaries.setdefault(version.key, TemplateSummary(version.key)).versions.append(version)
    return list(summaries.values())


def version_numbers(session: Session, key: str) -> list[int]:
    """Return the stored version numbers of a template, lowest first (empty for an unknown key)."""
    return list(
        session.scalars(
            select(TemplateVersion.version)
            .where(TemplateVersion.key == key)
            .order_by(TemplateVersion.version)
        )
    )


def template_keys(session: Session) -> list[str]:
    """Return the key of every stored template, in order."""
    return list(
        session.scalars(select(TemplateVersion.key).distinct().order_by(TemplateVersion.key))
    )


def get_version(session: Session, key: str, version: int | None = None) -> TemplateVersion | None:
    """Return the stored version of a template (the latest when ``version`` is None), or None."""
    query = select(TemplateVersion).where(TemplateVersion.key == key)
    if version is None:
        query = query.order_by(TemplateVersion.version.desc()).limit(1)
    else:
        query = query.where(TemplateVersion.version == version)
    return session.scalar(query)
