"""Twelve months of synthetic audit history, so the dashboards tell a story on first run.

Believable on purpose, and made up entirely: Child Protection East (synthetic) improves over the
year, the front door teams hold steady, and strategy meetings' action timescales (the
"strategy-timescales" inspection finding) get worse month by month. Section judgements follow
from their criteria and the overall judgement from the sections. About a quarter of audits are
moderated: most grades agreed, some moved one grade, a few two. Written with Core bulk inserts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from qa_app.audits.responses import JUDGEMENT_SUFFIX, OVERALL, Response, Responses, encode_value
from qa_app.audits.scoring import score_audit
from qa_app.demo.synthetic import consistent_responses
from qa_app.display import ENGLAND
from qa_app.insight.filters import add_months
from qa_app.models import (
    Action,
    Answer,
    Audit,
    AuditEvent,
    AuditRound,
    AuditStatus,
    Case,
    ModerationGrade,
    ModerationSelection,
    RoundCase,
    SafeguardingConcern,
    SelectionReason,
    Team,
    TemplateVersion,
    User,
)
from qa_app.template_format.definition import NOT_APPLICABLE, TemplateDefinition

WORSENING_FINDING = "strategy-timescales"
AUDITS_PER_TEAM_MONTH = 7
MODERATED_SHARE = 0.22
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


@dataclass(frozen=True)
class TeamStory:
    """How a team's practice is graded over the year: a quality from 0 to 1 per month."""

    start: float
    end: float
    case_types: tuple[tuple[str, float], ...]

    def quality(self, month_index: int) -> float:
        return self.start + (self.end - self.start) * month_index / 11


# In DEMO_TEAMS order: two steady front door teams, one improving team, one steady team.
TEAM_STORIES = (
    TeamStory(
        0.62,
        0.64,
        (("contact_referral", 0.6), ("early_help", 0.25), ("homeless_16_17", 0.1), ("lado", 0.05)),
    ),
    TeamStory(
        0.52,
        0.5,
        (
            ("contact_referral", 0.6),
            ("early_help", 0.2),
            ("child_in_need", 0.1),
            ("homeless_16_17", 0.1),
        ),
    ),
    TeamStory(0.28, 0.85, (("child_protection", 0.7), ("child_in_need", 0.3))),
    TeamStory(0.66, 0.62, (("child_in_need", 0.8), ("child_protection", 0.2))),
)
TEMPLATES_FOR = {
    "contact_referral": (("front-door", 0.85), ("supervision", 0.15)),
    "early_help": (("front-door", 1.0),),
    "child_in_need": (("cin-cp", 0.75), ("front-door", 0.1), ("supervision", 0.15)),
    "child_protection": (("cin-cp", 0.85), ("supervision", 0.15)),
    "homeless_16_17": (("homeless-16-17", 0.6), ("front-door", 0.4)),
    "lado": (("lado", 1.0),),
}


@dataclass
class PlannedAudit:
    team: Team
    case_type: str
    version: TemplateVersion
    auditor: User
    submitted_at: datetime
    responses: Responses
    round_id: int | None = None
    status: str = AuditStatus.SUBMITTED.value
    moderated: Responses = field(default_factory=dict)
    moderation: str | None = None  # None, "waiting", "taken", "done", "closed"
    selection_reason: str = SelectionReason.SAMPLE


def _choose(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _moment(month: date, rng: random.Random, latest: datetime) -> datetime:
    day = min(rng.randint(1, 28), 28)
    local = datetime(
        month.year, month.month, day, rng.randint(9, 16), rng.randint(0, 59), tzinfo=ENGLAND
    )
    return min(local.astimezone(UTC), latest)


def plan_history(
    rng: random.Random,
    versions: dict[str, TemplateVersion],
    teams: list[Team],
    auditor: User,
    manager: User,
    today: date,
    now: datetime,
    rounds: dict[date, int],
) -> list[PlannedAudit]:
    """Return the audits of the twelve whole months before this one, all submitted."""
    this_month = date(today.year, today.month, 1)
    planned = []
    for index in range(12):
        month = add_months(this_month, index - 12)
        for team, story in zip(teams, TEAM_STORIES, strict=False):
            for _ in range(AUDITS_PER_TEAM_MONTH):
                case_type = _choose(rng, story.case_types)
                key = _choose(rng, TEMPLATES_FOR[case_type])
                version = versions.get(key) or versions["front-door"]
                definition = version.definition
                quality = min(max(story.quality(index) + rng.gauss(0, 0.12), 0.05), 0.97)
                worsening = {
                    c.key: min(max(0.88 - 0.06 * index + rng.gauss(0, 0.08), 0.05), 0.97)
                    for c in definition.criteria()
                    if WORSENING_FINDING in c.findings
                }
                responses = consistent_responses(definition, rng, quality, worsening)
                planned.append(
                    PlannedAudit(
                        team=team,
                        case_type=case_type,
                        version=version,
                        # The demo auditor never audits their own team's cases.
                        auditor=manager if team.id == auditor.team_id else auditor,
                        submitted_at=_moment(month, rng, now - timedelta(days=1)),
                        responses=responses,
                        round_id=rounds.get(month) if key == "front-door" else None,
                    )
                )
    _plan_moderation(rng, planned, this_month)
    return planned


def _plan_moderation(rng: random.Random, planned: list[PlannedAudit], this_month: date) -> None:
    last_month = add_months(this_month, -1)
    for audit in planned:
        overall = audit.responses[OVERALL].value
        always = overall in ("inadequate", "outstanding") and rng.random() < 0.7
        if not always and rng.random() >= MODERATED_SHARE:
            continue
        audit.selection_reason = SelectionReason.JUDGEMENT if always else SelectionReason.SAMPLE
        recent = audit.submitted_at.date() >= last_month
        roll = rng.random()
        if recent and roll < 0.3:
            audit.moderation = "waiting"
        elif recent and roll < 0.6:
            audit.moderation, audit.status = "taken", AuditStatus.IN_MODERATION.value
        else:
            audit.moderation = "closed" if rng.random() < 0.5 else "done"
            audit.status = (
                AuditStatus.CLOSED.value
                if audit.moderation == "closed"
                else AuditStatus.MODERATED.value
            )
            audit.moderated = _moderated_grades(rng, audit.version.definition, audit.responses)


def _moderated_grades(
    rng: random.Random, definition: TemplateDefinition, responses: Responses
) -> Responses:
    """Return the moderator's grades: most agreed, some one grade away, a few two (moderators
    more often grade down than up)."""
    moderated: Responses = {}
    for key, response in responses.items():
        scale = _scale_of(definition, key)
        if scale is None or not response.value or response.value == NOT_APPLICABLE:
            continue
        values = [o.value for o in scale.options]
        if response.value not in values:
            continue
        agree, one = (0.78, 0.96) if key == OVERALL else (0.87, 0.975)
        roll = rng.random()
        steps = 0 if roll < agree else 1 if roll < one else 2
        direction = 1 if rng.random() < 0.7 else -1  # options run best first: +1 is worse
        position = values.index(response.value) + steps * direction
        position = min(max(position, 0), len(values) - 1)
        moderated[key] = Response(values[position])
    return moderated


def _scale_of(definition: TemplateDefinition, key: str):
    if key == OVERALL:
        return definition.scale(definition.overall.scale)
    if key.endswith(JUDGEMENT_SUFFIX):
        for section in definition.sections:
            if section.key == key.removesuffix(JUDGEMENT_SUFFIX) and section.judgement:
                return definition.scale(section.judgement.scale)
        return None
    criterion = definition.criterion(key)
    if criterion is None or criterion.type != "scale" or criterion.scale is None:
        return None
    return definition.scale(criterion.scale)


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
