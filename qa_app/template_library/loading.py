"""Loading template files into stored versions: all or nothing, every version kept.

``plan_template_load`` reads and checks the files and works out what would change without
writing anything; ``apply_template_load`` stores the new versions. A file whose content changed
without a new version number is refused, with what changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.models import TemplateVersion
from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.diff import Change, diff_templates
from qa_app.template_format.parser import parse_template
from qa_app.template_format.problems import Problem
from qa_app.template_format.replaces_check import check_replaces


@dataclass(frozen=True)
class PlannedVersion:
    path: Path
    definition: TemplateDefinition
    source_text: str
    source_hash: str
    status: str  # "new template", "new version" or "unchanged"
    changes: tuple[Change, ...] = ()
    previous_version: int | None = None


@dataclass
class LoadPlan:
    versions: list[PlannedVersion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def to_store(self) -> list[PlannedVersion]:
        return [v for v in self.versions if v.status != "unchanged"]


def template_files(directory: Path) -> list[Path]:
    """Return the YAML files in the directory, sorted by name."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def source_hash(text: str) -> str:
    """Return the SHA-256 of a template's source text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TemplateSource:
    """A template's text and where it came from (a path, or an uploaded file's name)."""

    name: str
    text: str


def read_template_sources(paths: list[Path]) -> tuple[list[TemplateSource], list[Problem]]:
    """Return the files' texts, and a problem for each file that cannot be read."""
    sources, problems = [], []
    for path in paths:
        try:
            sources.append(TemplateSource(str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 1, 1, f"cannot read the file ({error})"))
    return sources, problems


def plan_template_load(session: Session, paths: list[Path]) -> LoadPlan:
    """Return what loading these files would do, and every problem that stops it."""
    sources, problems = read_template_sources(paths)
    plan = plan_template_sources(session, sources)
    plan.problems[:0] = problems
    return plan


def plan_template_sources(
    session: Session, sources: list[TemplateSource], against: list[TemplateSource] = ()
) -> LoadPlan:
    """Return what storing these template texts would do, and every problem that stops it.

    Besides each file's own checks: a version already stored must be unchanged, versions only
    go up, and each ``replaces`` must name a question of an earlier version (stored, in the same
    batch, or in ``against``: earlier files given only to check against).
    """
    plan = LoadPlan()
    seen: dict[tuple[str, int], str] = {}
    stored = _stored_versions(session)
    parsed = []
    for source in sources:
        result = parse_template(source.text, source.name)
        if result.definition is None:
            plan.problems.extend(result.problems)
            continue
        parsed.append((source, result.definition))
    earlier_files = [
        definition
        for source in against
        if (definition := parse_template(source.text, source.name).definition) is not None
    ]
    batch = [definition for _, definition in parsed] + earlier_files
    for source, definition in parsed:
        identity = (definition.key, definition.version)
        if identity in seen:
            plan.problems.append(
                Problem(
                    source.name,
                    1,
                    1,
                    f"{definition.key} version {definition.version} is also in {seen[identity]}",
                )
            )
            continue
        seen[identity] = source.name
        earlier = [v.definition for v in stored.get(definition.key, {}).values()] + batch
        lineage = check_replaces(definition, source.text, source.name, earlier)
        if lineage:
            plan.problems.extend(lineage)
            continue
        planned = _plan_one(
            Path(source.name), source.text, definition, stored.get(definition.key, {})
        )
        if isinstance(planned, str):
            plan.problems.append(Problem(source.name, 1, 1, planned))
        else:
            plan.versions.append(planned)
    return plan


def _plan_one(
    path: Path, text: str, definition: TemplateDefinition, stored: dict[int, TemplateVersion]
) -> PlannedVersion | str:
    digest = source_hash(text)
    same = stored.get(definition.version)
    if same is not None:
        if same.source_hash == digest:
            return PlannedVersion(path, same.definition, text, digest, "unchanged")
        changes = diff_templates(same.definition, definition)
        described = "; ".join(c.description for c in changes) or "only layout or comments changed"
        return (
            f"{definition.key} version {definition.version} is already loaded and this "
            f"file has changed since. Raise its version to {max(stored) + 1} to load the changes "
            f"({described})"
        )
    newer = [v for v in stored if v > definition.version]
    if newer:
        return (
            f"{definition.key} version {definition.version} is older than the loaded "
            f"version {max(newer)}; versions must go up"
        )
    if not stored:
        return PlannedVersion(path, definition, text, digest, "new template")
    previous = stored[max(stored)].definition
    return PlannedVersion(
        path,
        with_lineage(definition, previous),
        text,
        digest,
        "new version",
        tuple(diff_templates(previous, definition)),
        previous.version,
    )


def with_lineage(
    definition: TemplateDefinition, previous: TemplateDefinition
) -> TemplateDefinition:
    """Return the definition with each criterion's lineage joined to the previous version's."""

    def lineage(criterion_key: str, replaces: str | None) -> str | None:
        ancestor = replaces or criterion_key
        if previous.criterion(ancestor) is None:
            return replaces
        return previous.lineage_key(ancestor)

    sections = tuple(
        replace(
            section,
            criteria=tuple(
                replace(c, lineage=lineage(c.key, c.replaces)) for c in section.criteria
            ),
        )
        for section in definition.sections
    )
    return replace(definition, sections=sections)


def apply_template_load(session: Session, plan: LoadPlan) -> list[TemplateVersion]:
    """Store the plan's new versions (the caller commits) and return them."""
    if plan.problems:
        raise ValueError("a load plan with problems cannot be applied")
    stored = []
    for planned in plan.to_store:
        version = TemplateVersion(
            key=planned.definition.key,
            version=planned.definition.version,
            title=planned.definition.title,
            definition_json=planned.definition.to_dict(),
            source_hash=planned.source_hash,
            source_name=planned.path.name,
            source_text=planned.source_text,
        )
        session.add(version)
        stored.append(version)
    session.flush()
    return stored


def _stored_versions(session: Session) -> dict[str, dict[int, TemplateVersion]]:
    result: dict[str, dict[int, TemplateVersion]] = {}
    for version in session.scalars(select(TemplateVersion)):
        result.setdefault(version.key, {})[version.version] = version
    return result


def describe_plan(plan: LoadPlan) -> list[str]:
    """Return lines saying what the plan does, file by file."""
    lines = []
    for planned in plan.versions:
        definition = planned.definition
        name = f"{definition.key} version {definition.version} ({planned.path.name})"
        if planned.status == "new template":
            count = len(definition.criteria())
            lines.append(
                f"{name}: new template, {len(definition.sections)} sections, {count} criteria"
            )
        elif planned.status == "new version":
            lines.append(f"{name}: new version; changes from version {planned.previous_version}:")
            lines.extend(f"  - {change.description}" for change in planned.changes)
            if not planned.changes:
                lines.append("  - no changes to questions or settings")
        else:
            lines.append(f"{name}: unchanged, already loaded")
    return lines
