"""Assigning a confirmed round's cases to auditors, which creates their audits.

Either evenly (the domain's ``assign_evenly``: fewest open audits first) or by hand. Either way no
auditor audits a case held by their own team, cases already assigned are left alone, and each
created audit is logged. Views and the CLI call these and commit.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.models import Audit, AuditEvent, AuditRound, AuditStatus, RoundCase, RoundStatus, User
from qa_app.rounds import queries
from qa_app.rounds.operations import RoundRefused
from qa_app.sampling.draw import Assignment, Auditor, Sample, SampledCase, assign_evenly
from qa_app.sampling.rule import RuleProblem


def assign_round_evenly(
    session: Session, audit_round: AuditRound, actor: User | None, auditor_ids: list[int]
) -> Assignment:
    """Spread the round's unassigned cases across the chosen auditors, fewest open audits first,
    never to an auditor in the case's team. Creates the audits; returns the assignment, whose
    ``unassignable`` lists the cases left unassigned and why."""
    _lock_confirmed(session, audit_round)
    waiting = queries.drawn_cases(session, audit_round.id, unassigned_only=True)
    users = _auditing_users(session, auditor_ids)
    loads = queries.open_loads(session, [u.id for u in users])
    auditors = [Auditor(u.id, u.team_id, loads[u.id]) for u in users]
    sample = Sample(selected=[_sampled(rc) for rc in waiting])
    assignment = assign_evenly(sample, auditors, audit_round.seed)
    by_case = {rc.case_id: rc for rc in waiting}
    created = _create_audits(
        session, audit_round, actor, [(by_case[p.case_id], p.user_id) for p in assignment.pairs]
    )
    record_event(
        session,
        "audits_assigned",
        actor,
        round_id=audit_round.id,
        method="evenly",
        assigned=created,
        unassignable=len(assignment.unassignable),
        auditors=[{"auditor_id": u, "audits": n} for u, n in sorted(assignment.counts().items())],
    )
    return assignment


def assign_round_by_hand(
    session: Session, audit_round: AuditRound, actor: User | None, choices: dict[int, int]
) -> int:
    """Assign round cases to the auditors chosen (round-case id -> user id); return how many
    audits were created. Cases already assigned are left alone. Raises RoundRefused, storing
    nothing, when a choice is not an active auditor or manager, or is in the case's own team."""
    _lock_confirmed(session, audit_round)
    waiting = {
        rc.id: rc for rc in queries.drawn_cases(session, audit_round.id, unassigned_only=True)
    }
    chosen = {rc_id: user_id for rc_id, user_id in choices.items() if rc_id in waiting}
    if not chosen:
        raise RoundRefused([RuleProblem("choices", "Choose an auditor for at least one case")])
    users = {u.id: u for u in _auditing_users(session, sorted(set(chosen.values())))}
    problems = []
    for rc_id, round_case in waiting.items():  # in page order, so the summary follows the table
        if rc_id not in chosen:
            continue
        user = users.get(chosen[rc_id])
        reference = round_case.case.reference
        if user is None:
            problems.append(
                RuleProblem(
                    f"auditor-{rc_id}", f"Choose an active auditor or manager for case {reference}"
                )
            )
        elif user.team_id is not None and user.team_id == round_case.case.team_id:
            problems.append(
                RuleProblem(
                    f"auditor-{rc_id}",
                    f"Choose an auditor from outside {round_case.case.team.name} "
                    f"for case {reference}",
                )
            )
    if problems:
        raise RoundRefused(problems)
    created = _create_audits(
        session,
        audit_round,
        actor,
        [(waiting[rc_id], user_id) for rc_id, user_id in chosen.items()],
    )
    counts: dict[int, int] = {}
    for user_id in chosen.values():
        counts[user_id] = counts.get(user_id, 0) + 1
    record_event(
        session,
        "audits_assigned",
        actor,
        round_id=audit_round.id,
        method="by hand",
        assigned=created,
        unassignable=0,
        auditors=[{"auditor_id": u, "audits": n} for u, n in sorted(counts.items())],
    )
    return created


def _lock_confirmed(session: Session, audit_round: AuditRound) -> None:
    # Row lock (PostgreSQL) so two people assigning at once cannot both assign the same case;
    # SQLite already lets only one writer through at a time.
    status = session.scalar(
        select(AuditRound.status).where(AuditRound.id == audit_round.id).with_for_update()
    )
    if status != RoundStatus.CONFIRMED.value:
        raise RoundRefused(
            [RuleProblem("choices", "Confirm the sample before assigning its cases")]
        )


def _auditing_users(session: Session, user_ids: list[int]) -> list[User]:
    wanted = set(user_ids)
    return [u for u in queries.possible_auditors(session) if u.id in wanted]


def _sampled(round_case: RoundCase) -> SampledCase:
    case = round_case.case
    return SampledCase(
        case.id, case.reference, case.team_id, case.team.name, case.case_type, round_case.stratum
    )


def _create_audits(
    session: Session,
    audit_round: AuditRound,
    actor: User | None,
    pairs: list[tuple[RoundCase, int]],
) -> int:
    """Create an assigned audit for each (round case, auditor), link it to its round case and log
    it; return how many were created. Bulk statements: a round can hold thousands of cases."""
    if not pairs:
        return 0
    now = utcnow()
    rows = [
        {
            "template_version_id": audit_round.template_version_id,
            "case_id": round_case.case_id,
            "auditor_id": user_id,
            "status": AuditStatus.ASSIGNED.value,
            "round_id": audit_round.id,
            "due_date": audit_round.due_date,
            "lock_version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for round_case, user_id in pairs
    ]
    inserted = session.execute(
        insert(Audit).returning(Audit.id, Audit.case_id, sort_by_parameter_order=True), rows
    ).all()
    audit_by_case = {case_id: audit_id for audit_id, case_id in inserted}
    session.execute(
        update(RoundCase),
        [{"id": rc.id, "audit_id": audit_by_case[rc.case_id]} for rc, _ in pairs],
    )
    session.execute(
        insert(AuditEvent),
        [
            {
                "audit_id": audit_by_case[round_case.case_id],
                "actor_id": actor.id if actor is not None else None,
                "action": "audit_assigned",
                "at": now,
                "details": {
                    "round_id": audit_round.id,
                    "case": round_case.case.reference,
                    "auditor_id": user_id,
                    "due_date": audit_round.due_date.isoformat(),
                },
            }
            for round_case, user_id in pairs
        ],
    )
    return len(inserted)
