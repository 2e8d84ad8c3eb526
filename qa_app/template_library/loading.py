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
    problems: list[str] = field(default_factory=list)

    @property
    def to_store(self) -> list[PlannedVersion]:
        return [v for v in self.versions if v.status != "unchanged"]


def template_files(directory: Path) -> list[Path]:
    """Return the YAML files in the directory, sorted by name."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def source_hash(text: str) -> str:
    """Return the SHA-256 of a template's source text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_template_load(session: Session, paths: list[Path]) -> LoadPlan:
    """Return what loading these files would do, and every problem that stops it."""
    plan = LoadPlan()
    seen: dict[tuple[str, int], Path] = {}
    stored = _stored_versions(session)
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            plan.problems.append(f"{path}:1:1: cannot read the file ({error})")
            continue
        result = parse_template(text, str(path))
        if result.definition is None:
            plan.problems.extend(str(p) for p in result.problems)
            continue
        definition = result.definition
        identity = (definition.key, definition.version)
        if identity in seen:
            plan.problems.append(
                f"{path}:1:1: {definition.key} version {definition.version} "
                f"is also in {seen[identity]}"
            )
            continue
        seen[identity] = path
        planned = _plan_one(path, text, definition, stored.get(definition.key, {}))
        if isinstance(planned, str):
            plan.problems.append(planned)
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
            f"{path}:1:1: {definition.key} version {definition.version} is already loaded and this "
            f"file has changed since. Raise its version to {max(stored) + 1} to load the changes "
            f"({described})"
        )
    newer = [v for v in stored if v > definition.version]
    if newer:
        return (
            f"{path}:1:1: {definition.key} version {definition.version} is older than the loaded "
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
