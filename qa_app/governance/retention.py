"""The retention purge: case detail past its period goes, grades and figures stay.

For each audit past its period (closed, or submitted and not closed, more than the configured
months ago) the written text is deleted: rationales, text answers, the overall rationale and
override reason, the practitioner's reflection, the family's feedback, actions' and concerns'
text, moderators' reasons and auditors' responses to moderation, earlier versions of written
text (text revisions), held forms, and whatever other areas register with
``on_case_text_purge``. A case whose audits are all purged (or that closed before the
cut-off and was never audited) gets a tombstone reference and loses its allocated worker.
Grades, scores, keys, team, case type, dates and moderation grades are kept, so every figure
is unchanged.

Work is done in batches, each committed with a row in ``purged_records``: a run killed half way
is resumed by running again, and a second run finds nothing to do. No Flask here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from qa_app.base_model import utcnow
from qa_app.governance.retention_policy import REMOVED_TEXT, RetentionSettings, tombstone
from qa_app.models import (
    REPORTED_STATUSES,
    AccessRecord,
    Action,
    Answer,
    Audit,
    AuditEvent,
    Case,
    HeldForm,
    Job,
    JobStatus,
    ModerationGrade,
    ModerationResponse,
    ModerationSelection,
    PurgedRecord,
    RetentionRun,
    SafeguardingConcern,
    TemplateVersion,
    TextRevision,
)

AUDIT, CASE = "audit", "case"

# (session, ids of the audits being purged) -> how many records were changed or deleted.
TextPurger = Callable[[Session, Sequence[int]], int]
# (session, before this moment) -> how many records were deleted.
ExpiryPurger = Callable[[Session, datetime], int]

_TEXT_PURGERS: dict[str, TextPurger] = {}
_EXPIRY_PURGERS: dict[str, ExpiryPurger] = {}


def on_case_text_purge(name: str, purger: TextPurger) -> None:
    """Register a step deleting an area's written text about audits being purged; ``name``
    is the count's name in the run's record (e.g. ``text_revisions_deleted``)."""
    _TEXT_PURGERS[name] = purger


def on_expiry_purge(name: str, purger: ExpiryPurger) -> None:
    """Register a step deleting an area's records past the export-file period (finished
    export files: see ``governance/export_files.py``), counted under ``name``."""
    _EXPIRY_PURGERS[name] = purger


Progress = Callable[[str, int, int], None]  # (step, done so far, total)


@dataclass
class PurgeCounts:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + max(number, 0)


def _audits_due(cutoff: datetime) -> Select:
    ended = func.coalesce(Audit.closed_at, Audit.submitted_at)
    already = select(PurgedRecord.record_id).where(PurgedRecord.kind == AUDIT)
    return (
        select(Audit.id)
        .where(Audit.status.in_(REPORTED_STATUSES), ended < cutoff, Audit.id.not_in(already))
        .order_by(Audit.id)
    )


def _cases_due(cutoff: datetime) -> Select:
    purged_audits = select(PurgedRecord.record_id).where(PurgedRecord.kind == AUDIT)
    purged_cases = select(PurgedRecord.record_id).where(PurgedRecord.kind == CASE)
    any_audit = exists().where(Audit.case_id == Case.id)
    unpurged_audit = exists().where(Audit.case_id == Case.id, Audit.id.not_in(purged_audits))
    return (
        select(Case.id)
        .where(
            Case.id.not_in(purged_cases),
            ~unpurged_audit,
            or_(any_audit, and_(Case.closed_on.is_not(None), Case.closed_on < cutoff.date())),
        )
        .order_by(Case.id)
    )


@dataclass(frozen=True)
class PurgePlan:
    """What a run would do now, counted (``--dry-run`` prints it)."""

    cutoff: datetime
    audits: int
    cases: int
    held_forms: int
    export_files: int
    access_records: int

    def lines(self) -> list[str]:
        return [
            f"Case detail of audits closed or submitted before {self.cutoff:%Y-%m-%d}:",
            f"  audits whose written text would be deleted: {self.audits}",
            f"  cases whose reference and allocated worker would be removed: {self.cases}",
            f"Held forms past their period that would be deleted: {self.held_forms}",
            f"Finished export files past their period that would be deleted: {self.export_files}",
            f"Access log rows past their period that would be deleted: {self.access_records}",
        ]


def plan_purge(session: Session, settings: RetentionSettings, now: datetime) -> PurgePlan:
    """Return what a purge would do now, changing nothing."""
    cutoffs = settings.cutoffs(now)

    def count(query: Select) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    # Cases are counted as they would be after this run's audits are purged.
    due_audits = _audits_due(cutoffs.case_detail)
    unpurged_after = exists().where(
        Audit.case_id == Case.id,
        Audit.id.not_in(select(PurgedRecord.record_id).where(PurgedRecord.kind == AUDIT)),
        Audit.id.not_in(due_audits),
    )
    cases = select(Case.id).where(
        Case.id.not_in(select(PurgedRecord.record_id).where(PurgedRecord.kind == CASE)),
        ~unpurged_after,
        or_(
            exists().where(Audit.case_id == Case.id),
            and_(Case.closed_on.is_not(None), Case.closed_on < cutoffs.case_detail.date()),
        ),
    )
    return PurgePlan(
        cutoff=cutoffs.case_detail,
        audits=count(due_audits),
        cases=count(cases),
        held_forms=count(select(HeldForm.id).where(HeldForm.created_at < cutoffs.held_forms)),
        export_files=count(
            select(Job.id).where(
                Job.status == JobStatus.DONE.value, Job.finished_at < cutoffs.export_files
            )
        ),
        access_records=count(select(AccessRecord.id).where(AccessRecord.at < cutoffs.access_log)),
    )


def run_purge(
    session: Session,
    settings: RetentionSettings,
    *,
    now: datetime | None = None,
    started_by: str = "command",
    actor_id: int | None = None,
    progress: Progress | None = None,
) -> RetentionRun:
    """Purge everything past its period, in committed batches; return the run, with counts."""
    now = now or utcnow()
    cutoffs = settings.cutoffs(now)
    report = progress or (lambda step, done, total: None)
    run = RetentionRun(
        started_by=started_by, actor_id=actor_id, case_detail_cutoff=cutoffs.case_detail, counts={}
    )
    session.add(run)
    session.commit()
    counts = PurgeCounts()

    def save_counts() -> None:
        run.counts = dict(counts.counts)
        session.commit()

    _in_batches(
        session,
        _audits_due(cutoffs.case_detail),
        settings.batch_size,
        "audits",
        report,
        lambda ids: _purge_audits(session, ids, run.id, counts),
        save_counts,
    )
    _in_batches(
        session,
        _cases_due(cutoffs.case_detail),
        settings.batch_size,
        "cases",
        report,
        lambda ids: _purge_cases(session, ids, run.id, counts),
        save_counts,
    )
    counts.add(
        "held_forms_deleted",
        _delete_before(session, HeldForm, HeldForm.created_at, cutoffs.held_forms),
    )
    for name, purger in _EXPIRY_PURGERS.items():
        counts.add(name, purger(session, cutoffs.export_files))
    save_counts()
    _delete_access_records(
        session, cutoffs.access_log, settings.batch_size, counts, report, save_counts
    )
    run.finished_at = utcnow()
    run.counts = dict(counts.counts)
    session.add(
        AuditEvent(
            action="retention_purge",
            actor_id=actor_id,
            details={"run_id": run.id, "started_by": started_by, **counts.counts},
        )
    )
    session.commit()
    return run


def _in_batches(session, query, size, step, report, purge_batch, save_counts) -> None:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    done = 0
    report(step, done, total)
    while True:
        # The query leaves out what is already purged, so each pass takes the next batch.
        ids = list(session.scalars(query.limit(size)))
        if not ids:
            break
        purge_batch(ids)
        save_counts()
        done += len(ids)
        report(step, done, total)


def _purge_audits(session: Session, ids: list[int], run_id: int, counts: PurgeCounts) -> None:
    counts.add(
        "rationales_deleted",
        _rowcount(
            session.execute(
                update(Answer)
                .where(Answer.audit_id.in_(ids), Answer.rationale.is_not(None))
                .values(rationale=None)
            )
        ),
    )
    counts.add("text_answers_deleted", _purge_text_answers(session, ids))
    counts.add(
        "audit_texts_deleted",
        _rowcount(
            session.execute(
                update(Audit)
                .where(Audit.id.in_(ids))
                .values(
                    overall_rationale=None,
                    override_reason=None,
                    practitioner_reflection=None,
                    family_feedback=None,
                )
                .execution_options(synchronize_session=False)
            )
        ),
    )
    counts.add(
        "actions_texts_deleted",
        _rowcount(
            session.execute(
                update(Action).where(Action.audit_id.in_(ids)).values(description=REMOVED_TEXT)
            )
        ),
    )
    counts.add(
        "concern_texts_deleted",
        _rowcount(
            session.execute(
                update(SafeguardingConcern)
                .where(SafeguardingConcern.audit_id.in_(ids))
                .values(description=REMOVED_TEXT)
            )
        ),
    )
    session.execute(
        update(SafeguardingConcern)
        .where(SafeguardingConcern.audit_id.in_(ids), SafeguardingConcern.response.is_not(None))
        .values(response=REMOVED_TEXT)
    )
    counts.add(
        "held_forms_deleted",
        _rowcount(session.execute(delete(HeldForm).where(HeldForm.audit_id.in_(ids)))),
    )
    counts.add("moderation_texts_deleted", _purge_moderation_text(session, ids))
    counts.add(
        "text_revisions_deleted",
        _rowcount(session.execute(delete(TextRevision).where(TextRevision.audit_id.in_(ids)))),
    )
    for name, purger in _TEXT_PURGERS.items():
        counts.add(name, purger(session, ids))
    session.execute(
        insert(PurgedRecord),
        [{"kind": AUDIT, "record_id": i, "run_id": run_id, "purged_at": utcnow()} for i in ids],
    )
    # No ``audit_changed`` here: the purge changes no grade, score, status, team or date, which
    # is all its listeners read (the dashboards' rollup holds graded answers only), and telling
    # them audit by audit made the purge of a year of audits take hours (see the benchmark).
    counts.add("audits_purged", len(ids))


def _purge_moderation_text(session: Session, ids: list[int]) -> int:
    """Delete moderators' reasons and auditors' responses (the moderated grades are kept)."""
    selections = select(ModerationSelection.id).where(ModerationSelection.audit_id.in_(ids))
    reasons = session.execute(
        update(ModerationGrade)
        .where(ModerationGrade.selection_id.in_(selections), ModerationGrade.reason.is_not(None))
        .values(reason=None)
    )
    comments = session.execute(
        update(ModerationResponse)
        .where(ModerationResponse.audit_id.in_(ids), ModerationResponse.comment.is_not(None))
        .values(comment=None)
    )
    return _rowcount(reasons) + _rowcount(comments)


def _purge_text_answers(session: Session, ids: list[int]) -> int:
    """Delete the answers to free-text questions (grades, dates and numbers are kept)."""
    versions = session.execute(
        select(TemplateVersion.id, TemplateVersion.definition_json).where(
            TemplateVersion.id.in_(select(Audit.template_version_id).where(Audit.id.in_(ids)))
        )
    )
    changed = 0
    for version_id, definition_json in versions:
        text_keys = _text_criterion_keys(definition_json)
        if not text_keys:
            continue
        result = session.execute(
            update(Answer)
            .where(
                Answer.audit_id.in_(
                    select(Audit.id).where(
                        Audit.id.in_(ids), Audit.template_version_id == version_id
                    )
                ),
                Answer.criterion_key.in_(text_keys),
                or_(Answer.value.is_not(None), Answer.moderated_value.is_not(None)),
            )
            .values(value=None, moderated_value=None)
        )
        changed += _rowcount(result)
    return changed


def _text_criterion_keys(definition_json: dict) -> list[str]:
    from qa_app.template_format.definition import TemplateDefinition

    definition = TemplateDefinition.from_dict(definition_json)
    return [c.key for c in definition.criteria() if c.type == "text"]


def _purge_cases(session: Session, ids: list[int], run_id: int, counts: PurgeCounts) -> None:
    # One UPDATE by primary key run for the whole batch (executemany), not one statement each.
    session.execute(
        update(Case).execution_options(synchronize_session=False),
        [{"id": i, "reference": tombstone(i), "allocated_worker": None} for i in ids],
    )
    session.execute(
        insert(PurgedRecord),
        [{"kind": CASE, "record_id": i, "run_id": run_id, "purged_at": utcnow()} for i in ids],
    )
    counts.add("cases_purged", len(ids))


def _delete_before(session: Session, model, column, cutoff: datetime) -> int:
    return _rowcount(session.execute(delete(model).where(column < cutoff)))


def _delete_access_records(session, cutoff, size, counts, report, save_counts) -> None:
    old = select(AccessRecord.id).where(AccessRecord.at < cutoff).order_by(AccessRecord.id)
    total = session.scalar(select(func.count()).select_from(old.subquery())) or 0
    done = 0
    report("access log", done, total)
    while True:
        ids = list(session.scalars(old.limit(size * 10)))
        if not ids:
            break
        session.execute(delete(AccessRecord).where(AccessRecord.id.in_(ids)))
        counts.add("access_records_deleted", len(ids))
        save_counts()
        done += len(ids)
        report("access log", done, total)


def _rowcount(result) -> int:
    return result.rowcount if result.rowcount is not None and result.rowcount >= 0 else 0


__all__ = [
    "PurgePlan",
    "on_case_text_purge",
    "on_expiry_purge",
    "plan_purge",
    "run_purge",
]
