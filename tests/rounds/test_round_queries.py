"""The sampling pool query: every case of the rule's teams, marked eligible, closed or audited
recently by the database, in a fixed number of statements; and the draw it feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import event

from qa_app.extensions import db
from qa_app.models import Role
from qa_app.rounds.operations import draw_preview
from qa_app.rounds.queries import sampling_pool
from qa_app.sampling.draw import (
    AUDITED_RECENTLY,
    CLOSED,
    ELIGIBLE,
    Candidate,
    EligibleCase,
    SamplingRule,
    draw_sample,
)
from tests.rounds.helpers import TEAM_A, TEAM_B, team_id

TODAY = date(2026, 5, 15)
EVERY_TEAM = SamplingRule(mode="per_team", cases_per_team=2)


def _marks(app, rule: SamplingRule = EVERY_TEAM, today: date = TODAY) -> dict[int, int]:
    with app.app_context():
        pool = sampling_pool(db.session, rule, today)
    return {Candidate._make(c).case_id: Candidate._make(c).excluded for c in pool.candidates}


def test_the_pool_marks_closed_and_recently_audited_cases_in_two_statements(
    app, add_cases, add_audit, make_user
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    [recent, long_ago, never] = add_cases(TEAM_A, 3)
    [closed] = add_cases(TEAM_B, 1, case_type=None, closed_on=date(2026, 2, 1))
    [closes_later] = add_cases(TEAM_B, 1, closed_on=date(2026, 5, 16))
    add_audit(recent, auditor.id, datetime(2024, 3, 4, 10, 0, tzinfo=UTC))
    add_audit(recent, auditor.id, datetime(2025, 5, 15, 0, 0, tzinfo=UTC))  # on the cutoff day
    add_audit(long_ago, auditor.id, datetime(2025, 5, 14, 23, 59, tzinfo=UTC))
    with app.app_context():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            pool = sampling_pool(db.session, EVERY_TEAM, TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 2  # the cases, and the teams' names
    marks = {Candidate._make(c).case_id: Candidate._make(c).excluded for c in pool.candidates}
    assert marks == {
        recent: AUDITED_RECENTLY,
        long_ago: ELIGIBLE,
        never: ELIGIBLE,
        closed: CLOSED,
        closes_later: ELIGIBLE,
    }
    by_id = {c[0]: Candidate._make(c) for c in pool.candidates}
    assert by_id[closed].case_type is None and by_id[never].case_type == "CIN"
    assert pool.team_names[by_id[never].team_id] == TEAM_A


def test_the_rule_decides_which_exclusions_apply(app, add_cases, add_audit, make_user):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    [audited] = add_cases(TEAM_A, 1)
    [closed] = add_cases(TEAM_A, 1, closed_on=date(2026, 2, 1))
    add_audit(audited, auditor.id, datetime(2026, 1, 1, tzinfo=UTC))
    keep_all = SamplingRule(
        mode="per_team", cases_per_team=2, exclude_closed=False, exclude_audited_within_months=0
    )
    assert _marks(app, keep_all) == {audited: ELIGIBLE, closed: ELIGIBLE}
    three_months = SamplingRule(mode="per_team", cases_per_team=2, exclude_audited_within_months=3)
    assert _marks(app, three_months) == {audited: ELIGIBLE, closed: CLOSED}


def test_the_pool_can_be_limited_to_some_teams(app, add_cases):
    add_cases(TEAM_A, 2)
    [*team_b] = add_cases(TEAM_B, 3)
    rule = SamplingRule(mode="per_team", cases_per_team=2, teams=[team_id(app, TEAM_B)])
    with app.app_context():
        pool = sampling_pool(db.session, rule, TODAY)
    assert sorted(c[0] for c in pool.candidates) == team_b
    assert set(pool.team_names.values()) == {TEAM_B}


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
    assert _marks(app) == {drawn: AUDITED_RECENTLY, free: ELIGIBLE}
    assert _marks(app, today=date(2027, 1, 3)) == {drawn: ELIGIBLE, free: ELIGIBLE}


def test_the_preview_draws_what_the_plain_draw_draws_from_the_same_cases(
    app, add_cases, add_audit, make_user
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    team_a = add_cases(TEAM_A, 30)
    team_b = add_cases(TEAM_B, 12, case_type="CP") + add_cases(TEAM_B, 5, case_type=None)
    closed = add_cases(TEAM_B, 4, closed_on=date(2026, 1, 1))
    audited = {case_id: date(2025, 9, 1) for case_id in team_a[::4]}
    for case_id in audited:
        add_audit(case_id, auditor.id, datetime(2025, 9, 1, 9, 0, tzinfo=UTC))
    names = {**dict.fromkeys(team_a, TEAM_A), **dict.fromkeys(team_b + closed, TEAM_B)}
    with app.app_context():
        teams = {TEAM_A: team_id(app, TEAM_A), TEAM_B: team_id(app, TEAM_B)}
        from qa_app.models import Case

        references = dict(db.session.execute(db.select(Case.id, Case.reference)).all())
        types = dict(db.session.execute(db.select(Case.id, Case.case_type)).all())
        cases = [
            EligibleCase(
                case_id,
                references[case_id],
                teams[team],
                team,
                types[case_id],
                date(2026, 1, 1) if case_id in closed else None,
                audited.get(case_id),
            )
            for case_id, team in names.items()
        ]
        for rule in (
            SamplingRule(mode="per_team", cases_per_team=4, stratify_by_case_type=True),
            SamplingRule(mode="percent", percent=40),
            SamplingRule(mode="per_team", cases_per_team=50),
        ):
            assert draw_preview(db.session, rule, 77, TODAY) == draw_sample(cases, rule, 77, TODAY)
