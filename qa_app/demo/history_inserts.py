"""Writing the planned year of synthetic history with Core bulk inserts, so ``make run`` stays
quick: cases, audits, answers, round places, moderation, events, then actions and concerns.

Every row is made up and its written text says so.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from qa_app.audits.responses import JUDGEMENT_SUFFIX, OVERALL, encode_value
from qa_app.audits.scoring import score_audit
from qa_app.demo.history import AUDITS_PER_TEAM_MONTH, PlannedAudit
from qa_app.insight.filters import add_months
from qa_app.models import (
    Action,
    Answer,
    Audit,
    AuditEvent,
    AuditRound,
    Case,
    ModerationGrade,
    ModerationSelection,
    RoundCase,
    SafeguardingConcern,
    TemplateVersion,
    User,
)

ACTIONS = (
    "Synthetic demo action: hold a strategy discussion review and set timescales for each action.",
    "Synthetic demo action: request the GP's health information and add it to the assessment.",
    "Synthetic demo action: explain to the parents in writing why their consent was sought.",
    "Synthetic demo action: share the learning on reflective supervision at the next team meeting.",
    "Synthetic demo action: update the child's plan so each action has an owner and a date.",
)
MODERATION_REASON = "Synthetic demo reason: the record does not show the impact on the child."
CONCERN = "Synthetic demo concern: no visit recorded for six weeks on a child protection plan."
CONCERN_RESPONSE = "Synthetic demo response: visit made the same day; the child was seen alone."


def insert_rounds(
    session: Session, version: TemplateVersion, admin: User, today: date
) -> dict[date, int]:
    """Insert a confirmed monthly front door round for each of the twelve months before this
    one; return their ids by month."""
    this_month = date(today.year, today.month, 1)
    rows = []
    months = [add_months(this_month, index - 12) for index in range(12)]
    for month in months:
        end = add_months(month, 1) - timedelta(days=1)
        rows.append(
            {
                "name": f"Front door monthly audit, {month:%B %Y} (synthetic)",
                "template_version_id": version.id,
                "period_start": month,
                "period_end": end,
                "due_date": end,
                "rule": {"per_team": AUDITS_PER_TEAM_MONTH, "synthetic": True},
                "seed": 2026,
                "status": "confirmed",
                "created_by_id": admin.id,
            }
        )
    ids = session.execute(
        insert(AuditRound).returning(AuditRound.id, sort_by_parameter_order=True), rows
    ).scalars()
    return dict(zip(months, ids, strict=True))


def insert_history(
    session: Session,
    planned: list[PlannedAudit],
    first_reference: int,
    qa_lead: User,
    now: datetime,
) -> dict[int, int]:
    """Write the planned audits (cases, audits, answers, round places, moderation, events) and
    return each audit's case id by audit id, in the planned order."""
    case_ids = (
        session.execute(
            insert(Case).returning(Case.id, sort_by_parameter_order=True),
            [
                {
                    "reference": f"SYN-{first_reference + n}",
                    "team_id": audit.team.id,
                    "case_type": audit.case_type,
                    "allocated_worker": f"Worker {n % 23 + 1} (synthetic)",
                    "opened_on": (audit.submitted_at - timedelta(days=90 + n % 200)).date(),
                    # Audited cases of past months have since closed or stepped down, so the
                    # demo's open case list (what rounds draw from) is this month's.
                    "closed_on": min(
                        (audit.submitted_at + timedelta(days=20 + n % 60)).date(),
                        (now - timedelta(days=1)).date(),
                    ),
                }
                for n, audit in enumerate(planned)
            ],
        )
        .scalars()
        .all()
    )
    audit_rows, scores = [], []
    for audit, case_id in zip(planned, case_ids, strict=True):
        definition = audit.version.definition
        score = score_audit(definition, audit.responses)
        final = {**audit.responses, **audit.moderated}
        moderated_score = score_audit(definition, final) if audit.moderated else None
        scores.append((score, moderated_score))
        overall = audit.responses[OVERALL]
        moderated_at = audit.submitted_at + timedelta(days=6) if audit.moderated else None
        audit_rows.append(
            {
                "template_version_id": audit.version.id,
                "case_id": case_id,
                "auditor_id": audit.auditor.id,
                "status": audit.status,
                "submitted_at": audit.submitted_at,
                "overall_judgement": overall.value,
                "overall_rationale": overall.rationale or None,
                "score": score.overall,
                "round_id": audit.round_id,
                "due_date": (audit.submitted_at + timedelta(days=14)).date(),
                "with_practitioner": (case_id % 5) < 3,
                "created_at": audit.submitted_at - timedelta(days=3),
                "updated_at": moderated_at or audit.submitted_at,
                "lock_version": 1,
                "moderator_id": qa_lead.id if audit.moderated else None,
                "moderated_at": moderated_at,
                "moderated_overall_judgement": final[OVERALL].value if audit.moderated else None,
                "moderated_score": moderated_score.overall if moderated_score else None,
                "closed_at": moderated_at + timedelta(days=2)
                if audit.moderation == "closed" and moderated_at
                else None,
            }
        )
    audit_ids = (
        session.execute(insert(Audit).returning(Audit.id, sort_by_parameter_order=True), audit_rows)
        .scalars()
        .all()
    )
    answers, round_cases, events = [], [], []
    for audit, audit_id, case_id, (score, moderated_score) in zip(
        planned, audit_ids, case_ids, scores, strict=True
    ):
        definition = audit.version.definition
        for key, response in audit.responses.items():
            if key == OVERALL:
                continue
            section = definition.section_of(key)
            moderated = audit.moderated.get(key)
            answers.append(
                {
                    "audit_id": audit_id,
                    "criterion_key": key,
                    "lineage_key": definition.lineage_key(key),
                    "section_key": section.key if section else key.removesuffix(JUDGEMENT_SUFFIX),
                    "value": encode_value(response),
                    "rationale": response.rationale or None,
                    "score": score.answers.get(key),
                    "moderated_value": (moderated.value if moderated else encode_value(response))
                    if audit.moderated
                    else None,
                    "moderated_score": moderated_score.answers.get(key)
                    if moderated_score
                    else None,
                }
            )
        if audit.round_id is not None:
            round_cases.append(
                {
                    "round_id": audit.round_id,
                    "case_id": case_id,
                    "stratum": f"{audit.team.name} / {audit.case_type}",
                    "audit_id": audit_id,
                }
            )
        events.append(
            {
                "audit_id": audit_id,
                "actor_id": audit.auditor.id,
                "action": "demo_seeded",
                "at": now,
                "details": {"status": audit.status, "synthetic": True},
            }
        )
    session.execute(insert(Answer), answers)
    if round_cases:
        session.execute(insert(RoundCase), round_cases)
    session.execute(insert(AuditEvent), events)
    _insert_moderation(session, planned, audit_ids, qa_lead)
    return dict(zip(audit_ids, case_ids, strict=True))


def _insert_moderation(
    session: Session, planned: list[PlannedAudit], audit_ids: list[int], qa_lead: User
) -> None:
    chosen = [(a, i) for a, i in zip(planned, audit_ids, strict=True) if a.moderation]
    if not chosen:
        return
    rows = []
    for audit, audit_id in chosen:
        selected = audit.submitted_at + timedelta(days=1)
        taken = audit.moderation != "waiting"
        done = audit.moderation in ("done", "closed")
        rows.append(
            {
                "audit_id": audit_id,
                "reason": audit.selection_reason,
                "selected_by_id": qa_lead.id,
                "selected_at": selected,
                "due_date": (selected + timedelta(days=14)).date(),
                "blind": False,
                "moderator_id": qa_lead.id if taken else None,
                "taken_at": selected + timedelta(days=2) if taken else None,
                "completed_at": audit.submitted_at + timedelta(days=6) if done else None,
                "lock_version": 1,
                "created_at": selected,
                "updated_at": selected,
            }
        )
    selection_ids = (
        session.execute(
            insert(ModerationSelection).returning(
                ModerationSelection.id, sort_by_parameter_order=True
            ),
            rows,
        )
        .scalars()
        .all()
    )
    grades = []
    for (audit, _), selection_id in zip(chosen, selection_ids, strict=True):
        for key, moderated in audit.moderated.items():
            agrees = moderated.value == audit.responses[key].value
            grades.append(
                {
                    "selection_id": selection_id,
                    "criterion_key": key,
                    "agrees": agrees,
                    "value": None if agrees else moderated.value,
                    "reason": None if agrees else MODERATION_REASON,
                }
            )
    if grades:
        session.execute(insert(ModerationGrade), grades)


def insert_follow_up_history(
    session: Session,
    rng: random.Random,
    planned: list[PlannedAudit],
    case_ids_by_audit: dict[int, int],
    manager: User,
    now: datetime,
) -> None:
    """Add actions to audits graded below good (most done, some open, a few overdue) and about
    one safeguarding concern a month, each answered within a day or two."""
    actions, concerns = [], []
    for audit, audit_id in zip(planned, case_ids_by_audit, strict=True):
        if audit.responses[OVERALL].value not in ("requires_improvement", "inadequate"):
            continue
        for n in range(1 + (rng.random() < 0.3)):
            created = audit.submitted_at + timedelta(hours=1 + n)
            due = (created + timedelta(days=rng.randint(14, 42))).date()
            finished = created + timedelta(days=rng.randint(5, 50))
            done = finished < now and rng.random() < 0.85
            actions.append(
                {
                    "audit_id": audit_id,
                    "description": ACTIONS[(audit_id + n) % len(ACTIONS)],
                    "owner_role": "Team manager",
                    "due_date": due,
                    "priority": ("high", "medium", "low")[(audit_id + n) % 3],
                    "scope": "service" if (audit_id + n) % 7 == 0 else "case",
                    "status": "done" if done else "open",
                    "completed_at": finished if done else None,
                    "created_by_id": audit.auditor.id,
                    "created_at": created,
                    "updated_at": finished if done else created,
                }
            )
        if rng.random() < 0.05:
            raised = audit.submitted_at - timedelta(hours=2)
            concerns.append(
                {
                    "audit_id": audit_id,
                    "case_id": case_ids_by_audit[audit_id],
                    "team_id": audit.team.id,
                    "raised_by_id": audit.auditor.id,
                    "description": CONCERN,
                    "raised_at": raised,
                    "respond_by": raised + timedelta(days=1),
                    "acknowledged_by_id": manager.id,
                    "acknowledged_at": raised + timedelta(hours=rng.randint(2, 40)),
                    "response": CONCERN_RESPONSE,
                    "created_at": raised,
                    "updated_at": raised,
                }
            )
    if actions:
        session.execute(insert(Action), actions)
    if concerns:
        session.execute(insert(SafeguardingConcern), concerns)
