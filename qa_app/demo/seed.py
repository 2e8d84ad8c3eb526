"""Synthetic demo data: teams, one user per role, a year of audit history and this month's
audits in every state.

Everything here is made up and labelled as synthetic. Seeding twice changes nothing. The year of
history (planned in ``history.py``) is written with Core bulk inserts (``history_inserts.py``) so
``make run`` stays quick; this month's few audits, actions and concern go through the same
operations as the pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qa_app.audits.responses import OVERALL, encode_value
from qa_app.audits.scoring import score_audit
from qa_app.base_model import utcnow
from qa_app.demo.history import plan_history
from qa_app.demo.history_inserts import insert_follow_up_history, insert_history, insert_rounds
from qa_app.demo.synthetic import consistent_responses
from qa_app.follow_up.operations import ActionDetails, add_action, raise_concern
from qa_app.follow_up.working_days import date_in_england
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import Answer, Audit, AuditEvent, AuditStatus, Case, Role, TemplateVersion, User
from qa_app.people.operations import create_user, find_or_create_team
from qa_app.template_format.definition import TemplateDefinition

DEMO_TEAMS = (
    "Front Door North (synthetic)",
    "Front Door South (synthetic)",
    "Child Protection East (synthetic)",
    "Children in Need West (synthetic)",
)


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str
    name: str
    team: str | None


DEMO_LOGINS = (
    DemoLogin(
        Role.AUDITOR,
        "auditor@example.org",
        "demo-auditor-pass",
        "Alex Auditor (synthetic)",
        DEMO_TEAMS[0],
    ),
    DemoLogin(
        Role.MANAGER, "manager@example.org", "demo-manager-pass", "Morgan Manager (synthetic)", None
    ),
    DemoLogin(Role.ADMIN, "admin@example.org", "demo-admin-pass", "Ash Admin (synthetic)", None),
    DemoLogin(
        Role.QA_LEAD, "qa-lead@example.org", "demo-qa-lead-pass", "Quinn QA Lead (synthetic)", None
    ),
    DemoLogin(
        Role.LEADER, "leader@example.org", "demo-leader-pass", "Lee Leader (synthetic)", None
    ),
)

DEMO_AUDITS = 36
DEMO_ACTIONS = (
    "Synthetic demo action: hold a strategy discussion review and set timescales for each action.",
    "Synthetic demo action: request the GP's health information and add it to the assessment.",
    "Synthetic demo action: explain to the parents in writing why their consent was sought.",
    "Synthetic demo action: share the learning on reflective supervision at the next team meeting.",
)
STATE_MIX = (
    [AuditStatus.SUBMITTED] * 6
    + [AuditStatus.DRAFT] * 2
    + [AuditStatus.ASSIGNED, AuditStatus.RETURNED, AuditStatus.RESUBMITTED]
)
UNSUBMITTED = (AuditStatus.ASSIGNED, AuditStatus.DRAFT)


def seed_demo_data(session: Session, seed: int = 2026) -> bool:
    """Create the demo data unless it exists; return True when it was created."""
    if session.scalar(select(User).where(User.email == DEMO_LOGINS[0].email)) is not None:
        return False
    versions = _latest_versions(session)
    if not versions:
        raise RuntimeError("Load the audit templates before seeding demo data.")
    teams = [find_or_create_team(session, name) for name in DEMO_TEAMS]
    users = [
        create_user(session, login.email, login.name, login.role, login.password, login.team)
        for login in DEMO_LOGINS
    ]
    session.flush()
    rng = random.Random(seed)
    auditor, manager, admin, qa_lead = users[0], users[1], users[2], users[3]
    now = utcnow()
    today = date_in_england(now)
    by_key = {version.key: version for version in versions}
    rounds = insert_rounds(session, by_key["front-door"], admin, today)
    planned = plan_history(rng, by_key, teams, auditor, manager, today, now, rounds)
    start = session.scalar(select(func.count(Case.id))) or 0
    case_ids = insert_history(session, planned, 100000 + start, qa_lead, now)
    insert_follow_up_history(session, rng, planned, case_ids, manager, now)
    start += len(planned)
    cases = [
        Case(
            reference=f"SYN-{100000 + start + n}",
            # Never the demo auditor's own team (the first), as councils' rules require.
            team=teams[1 + n % (len(teams) - 1)],
            case_type=_case_type(rng),
        )
        for n in range(DEMO_AUDITS)
    ]
    session.add_all(cases)
    session.flush()
    audits = _seed_audits(session, rng, versions, cases, auditor)
    _seed_follow_up(session, audits, auditor=auditor, manager=manager)
    rebuild_rollup(session)
    return True


def _seed_follow_up(session: Session, audits: list[Audit], auditor: User, manager: User) -> None:
    """Give the demo an open safeguarding concern and a few actions, made as users would."""
    today = utcnow().date()
    submitted = [a for a in audits if a.status == AuditStatus.SUBMITTED.value]
    for n, audit in enumerate(submitted[:4]):
        details = ActionDetails(
            description=DEMO_ACTIONS[n % len(DEMO_ACTIONS)],
            owner_user_id=None if n % 2 else manager.id,
            owner_role="Team manager" if n % 2 else None,
            due_date=today + timedelta(days=7 * (n + 1)),
            priority=("high", "medium", "low")[n % 3],
            scope="service" if n == 3 else "case",
        )
        add_action(session, audit, auditor, details, today=today)
    drafts = [a for a in audits if a.status == AuditStatus.DRAFT.value]
    if drafts:
        raise_concern(
            session,
            drafts[0],
            auditor,
            "Synthetic demo concern: no visit recorded for six weeks while the child is subject "
            "to a child protection plan.",
        )


def _case_type(rng: random.Random) -> str:
    return rng.choice(["contact_referral", "child_in_need", "child_protection", "early_help"])


def _latest_versions(session: Session) -> list[TemplateVersion]:
    latest: dict[str, TemplateVersion] = {}
    for version in session.scalars(select(TemplateVersion).order_by(TemplateVersion.version)):
        latest[version.key] = version
    return sorted(latest.values(), key=lambda v: v.key)


def _seed_audits(
    session: Session,
    rng: random.Random,
    versions: list[TemplateVersion],
    cases: list[Case],
    auditor: User,
) -> list[Audit]:
    now = utcnow()
    audits: list[Audit] = []
    answers: list[dict] = []
    events: list[dict] = []
    for n, case in enumerate(cases):
        version = versions[0] if n % 3 else versions[n % len(versions)]
        definition: TemplateDefinition = version.definition
        status = STATE_MIX[n % len(STATE_MIX)]
        responses, override = consistent_responses(definition, rng, rng.uniform(0.2, 0.95)), ""
        if status in UNSUBMITTED:  # a draft is part-way through; an assigned audit is untouched
            keep = list(responses)[: len(responses) // 2] if status == AuditStatus.DRAFT else []
            responses = {k: responses[k] for k in keep}
            override = ""
        score = score_audit(definition, responses)
        overall = responses.get(OVERALL)
        # This month's audits: started in the last four weeks.
        started = now - timedelta(days=rng.randint(1, 27), hours=rng.randint(0, 8))
        audit = Audit(
            template_version=version,
            case=case,
            auditor=auditor,
            status=status.value,
            overall_judgement=overall.value if overall else None,
            overall_rationale=overall.rationale if overall else None,
            override_reason=override or None,
            score=score.overall,
            submitted_at=None if status in UNSUBMITTED else started + timedelta(hours=3),
            # Unsubmitted audits are due over the next few weeks, and a few are overdue.
            due_date=(now + timedelta(days=rng.randint(-5, 25))).date()
            if status in UNSUBMITTED
            else (started + timedelta(days=28)).date(),
            with_practitioner=None if status in UNSUBMITTED else rng.random() < 0.6,
            created_at=started,
            updated_at=started + timedelta(hours=3),
        )
        session.add(audit)
        session.flush()
        audits.append(audit)
        for key, response in responses.items():
            if key == OVERALL:
                continue
            section = definition.section_of(key)
            answers.append(
                {
                    "audit_id": audit.id,
                    "criterion_key": key,
                    "lineage_key": definition.lineage_key(key),
                    "section_key": section.key if section else key.split(".")[0],
                    "value": encode_value(response),
                    "rationale": response.rationale or None,
                    "score": score.answers.get(key),
                }
            )
        events.append(
            {
                "audit_id": audit.id,
                "actor_id": auditor.id,
                "action": "demo_seeded",
                "at": now,
                "details": {"status": status.value, "synthetic": True},
            }
        )
    # Core executemany: many times faster than adding ORM objects one by one.
    session.execute(insert(Answer), answers)
    session.execute(insert(AuditEvent), events)
    return audits
