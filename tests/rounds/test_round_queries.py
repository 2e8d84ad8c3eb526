"""The eligible-cases query: one statement, the latest audit date per case, teams filtered."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import event

from qa_app.extensions import db
from qa_app.models import Role
from qa_app.rounds.queries import sampling_candidates
from tests.rounds.helpers import TEAM_A, TEAM_B, team_id


def test_candidates_carry_the_date_of_their_latest_audit_in_one_query(
    app, add_cases, add_audit, make_user
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    [audited, never] = add_cases(TEAM_A, 2)
    [closed] = add_cases(TEAM_B, 1, case_type=None, closed_on=date(2026, 2, 1))
    add_audit(audited, auditor.id, datetime(2025, 3, 4, 10, 0, tzinfo=UTC))
    add_audit(audited, auditor.id, datetime(2025, 9, 8, 23, 30, tzinfo=UTC))
    with app.app_context():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            candidates = {c.case_id: c for c in sampling_candidates(db.session)}
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert candidates[audited].last_audited_on == date(2025, 9, 8)
    assert candidates[never].last_audited_on is None
    assert candidates[closed].closed_on == date(2026, 2, 1)
    assert candidates[closed].case_type is None
    assert candidates[audited].team_name == TEAM_A


def test_candidates_can_be_limited_to_some_teams(app, add_cases):
    add_cases(TEAM_A, 2)
    add_cases(TEAM_B, 3)
    with app.app_context():
        chosen = sampling_candidates(db.session, [team_id(app, TEAM_B)])
    assert {c.team_name for c in chosen} == {TEAM_B}
    assert len(chosen) == 3


def test_a_case_drawn_in_a_confirmed_round_counts_as_audited_until_it_is_assigned(
    app, add_cases, version_id
):
    from qa_app.models import AuditRound, RoundCase

    [drawn, free] = add_cases(TEAM_A, 2)
    with app.app_context():
        audit_round = AuditRound(
            name="Earlier round (synthetic)",
            template_version_id=version_id,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            due_date=date(2026, 2, 15),
            rule={},
            seed=1,
            status="confirmed",
            created_at=datetime(2026, 1, 2, tzinfo=UTC),
        )
        audit_round.cases.append(RoundCase(case_id=drawn, stratum=TEAM_A))
        db.session.add(audit_round)
        db.session.commit()
        candidates = {c.case_id: c for c in sampling_candidates(db.session)}
    assert candidates[drawn].last_audited_on == date(2026, 1, 2)
    assert candidates[free].last_audited_on is None
