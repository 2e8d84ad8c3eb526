"""Assigning a confirmed round's cases to auditors, which creates their audits.

Either evenly (the domain's ``assign_evenly``: fewest open audits first) or by hand. Either way no
auditor audits a case held by their own team, cases already assigned are left alone, and each
created audit is logged. Views and the CLI call these and commit.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.models import AuditRound, AuditStatus, RoundStatus, User
from qa_app.rounds import bulk_rows, queries
from qa_app.rounds.operations import RoundRefused
from qa_app.sampling.draw import Assignment, Auditor, Sample, assign_evenly
from qa_app.sampling.rule import RuleProblem


def assign_round_evenly(
    session: Session, audit_round: AuditRound, actor: User | None, auditor_ids: list[int]
) -> Assignment:
    """Spread the round's unassigned cases across the chosen auditors, fewest open audits first,
    never to an auditor in the case's team. Creates the audits; returns the assignment, whose
    ``unassignable`` lists the cases left unassigned and why."""
    _lock_confirmed(session, audit_round)
    waiting = queries.waiting_cases(session, audit_round.id)
    users = _auditing_users(session, auditor_ids)
    loads = queries.open_loads(session, [u.id for u in users])
    auditors = [Auditor(u.id, u.team_id, loads[u.id]) for u in users]
    sample = Sample(selected=waiting)
    assignment = assign_evenly(sample, auditors, audit_round.seed)
    references = {w.case_id: w.reference for w in waiting}
    created = _create_audits(
        session,
        audit_round,
        actor,
        [_Pair(p.case_id, references[p.case_id], p.user_id) for p in assignment.pairs],
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
        [
            _Pair(waiting[rc_id].case_id, waiting[rc_id].case.reference, user_id)
            for rc_id, user_id in chosen.items()
        ],
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


class _Pair(NamedTuple):
    case_id: int
    reference: str
    user_id: int


def _create_audits(
    session: Session, audit_round: AuditRound, actor: User | None, pairs: list[_Pair]
) -> int:
    """Create an assigned audit for each drawn case and auditor, link it to its round case and
    log it; return how many were created. Written in bulk (``bulk_rows``): a round can hold
    thousands of cases, and the ORM's per-row work cost more than the database's."""
    if not pairs:
        return 0
    now = utcnow()
    connection = session.connection()
    audit_by_case = bulk_rows.insert_audits(
        connection,
        [
            {
                "template_version_id": audit_round.template_version_id,
                "case_id": pair.case_id,
                "auditor_id": pair.user_id,
                "status": AuditStatus.ASSIGNED.value,
                "round_id": audit_round.id,
                "due_date": audit_round.due_date,
                "lock_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for pair in pairs
        ],
    )
    bulk_rows.link_round_cases(connection, audit_round.id, audit_by_case)
    due_date = audit_round.due_date.isoformat()
    actor_id = actor.id if actor is not None else None
    bulk_rows.insert_events(
        connection,
        [
            {
                "audit_id": audit_by_case[pair.case_id],
                "actor_id": actor_id,
                "action": "audit_assigned",
                "at": now,
                "details": {
                    "round_id": audit_round.id,
                    "case": pair.reference,
                    "auditor_id": pair.user_id,
                    "due_date": due_date,
                },
            }
            for pair in pairs
        ],
    )
    return len(audit_by_case)
