"""The follow-up, audit programme and moderation panels against hand computations on the small
synthetic world (conftest): audits due by round and team, actions by month, agreement."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from qa_app.display import ENGLAND
from qa_app.insight import programme
from qa_app.models import Action, Audit, AuditStatus, SafeguardingConcern
from tests.insight.conftest import PERIOD

TODAY = date(2026, 12, 7)


def _by_team(rows, world):
    names = {world.team_a: "A", world.team_b: "B"}
    return {
        names[row.team_id]: (row.round, row.audits, row.overdue, row.submitted, row.moderated)
        for row in rows
    }


def test_programme_counts_audits_due_in_the_period_with_the_draft_overdue(session, world):
    rows = programme.audit_programme(session, PERIOD, TODAY)
    # Team A: audit 1 submitted (due November) and the draft due 5 November, not submitted.
    # Team B: audits 3 and 4 submitted, 4 moderated. Audit 5 was due in April: outside.
    assert _by_team(rows, world) == {
        "A": ("Outside a round", 2, 1, 1, 0),
        "B": ("Outside a round", 2, 0, 2, 1),
    }


def test_a_draft_is_not_overdue_before_its_due_date(session, world):
    rows = programme.audit_programme(session, PERIOD, date(2026, 11, 1))
    assert _by_team(rows, world)["A"] == ("Outside a round", 2, 0, 1, 0)


def test_programme_narrows_to_one_team_and_to_the_months_due(session, world):
    team_b = programme.audit_programme(session, replace(PERIOD, team_id=world.team_b), TODAY)
    assert _by_team(team_b, world) == {"B": ("Outside a round", 2, 0, 2, 1)}
    october = replace(PERIOD, start=date(2026, 10, 1), end=date(2026, 10, 1))
    assert _by_team(programme.audit_programme(session, october, TODAY), world) == {
        "B": ("Outside a round", 1, 0, 1, 0)
    }


def test_an_audit_assigned_today_counts_as_due_without_a_rollup_refresh(session, world):
    draft = session.get(Audit, world.audit_ids[5])
    extra = Audit(
        template_version_id=draft.template_version_id,
        case_id=draft.case_id,
        auditor_id=draft.auditor_id,
        status=AuditStatus.ASSIGNED.value,
        due_date=date(2026, 11, 30),
    )
    session.add(extra)
    session.flush()
    rows = programme.audit_programme(session, PERIOD, TODAY)
    assert _by_team(rows, world)["A"] == ("Outside a round", 3, 2, 1, 0)


def test_moderation_agreement_tables_the_moderated_audit_of_the_period(session, world):
    agreement = programme.moderation_agreement(session, PERIOD)
    assert (agreement.moderated, agreement.reported) == (1, 4)
    grades = [value for value, _ in agreement.options]
    auditor, final = grades.index("outstanding"), grades.index("requires_improvement")
    assert agreement.table.counts[auditor][final] == 1
    assert sum(sum(row) for row in agreement.table.counts) == 1
    assert agreement.suppressed is False
    assert programme.moderation_agreement(session, replace(PERIOD, suppress_below=5)).suppressed


def _action(audit_id, created, *, due, completed=None):
    return Action(
        audit_id=audit_id,
        description="Synthetic action",
        owner_role="Team manager",
        due_date=due,
        status="done" if completed else "open",
        completed_at=completed,
        created_at=created,
    )


def test_follow_up_counts_actions_by_month_raised_and_done_and_open_now(session, world):
    a1, _, b3, b4, a5, _ = world.audit_ids
    moment = lambda m, d: datetime(2026, m, d, 12, tzinfo=UTC)  # noqa: E731
    session.add_all(
        [
            _action(a1, moment(11, 16), due=date(2026, 12, 1)),  # open, overdue on 7 December
            _action(a1, moment(11, 17), due=date(2026, 12, 20)),  # open, not yet due
            _action(b3, moment(10, 16), due=date(2026, 11, 1), completed=moment(11, 2)),
            _action(b4, moment(11, 18), due=date(2026, 11, 30), completed=moment(11, 25)),
            # Raised in April (before the period), done in June.
            _action(a5, moment(4, 16), due=date(2026, 5, 1), completed=moment(6, 3)),
        ]
    )
    session.add(
        SafeguardingConcern(
            audit_id=b3,
            case_id=session.get(Audit, b3).case_id,
            team_id=world.team_b,
            raised_by_id=world.auditor_id,
            description="Synthetic concern",
            raised_at=moment(10, 16),
            respond_by=moment(10, 17),
            acknowledged_at=moment(10, 16).replace(hour=18),
        )
    )
    session.flush()
    follow = programme.follow_up(session, PERIOD, TODAY)
    by_month = {m.month.month: (m.raised, m.done) for m in follow.months}
    assert by_month == {6: (0, 1), 7: (0, 0), 8: (0, 0), 9: (0, 0), 10: (1, 0), 11: (3, 2)}
    assert (follow.open, follow.overdue, follow.done) == (2, 1, 3)
    assert (follow.concerns_raised, follow.concerns_open, follow.median_response_hours) == (
        1,
        0,
        6.0,
    )
    team_b = programme.follow_up(session, replace(PERIOD, team_id=world.team_b), TODAY)
    assert {m.month.month: (m.raised, m.done) for m in team_b.months if m.raised or m.done} == {
        10: (1, 0),
        11: (1, 2),
    }
    assert (team_b.open, team_b.overdue, team_b.done, team_b.concerns_raised) == (0, 0, 2, 1)
    nobody = programme.follow_up(session, replace(PERIOD, scope_team_ids=()), TODAY)
    assert (nobody.open, nobody.done, nobody.concerns_raised) == (0, 0, 0)


def test_actions_fall_in_the_month_they_were_raised_on_the_english_clock(session, world):
    a1 = world.audit_ids[0]
    in_england = [datetime(2026, month, 1, 0, 30, tzinfo=ENGLAND) for month in range(6, 12)]
    just_before = datetime(2026, 6, 1, tzinfo=ENGLAND) - timedelta(minutes=1)
    last_moment = datetime(2026, 12, 1, tzinfo=ENGLAND) - timedelta(minutes=1)
    session.add_all(
        _action(a1, moment.astimezone(UTC), due=date(2027, 1, 1))
        for moment in [*in_england, just_before, last_moment]
    )
    session.flush()
    follow = programme.follow_up(session, PERIOD, TODAY)
    # 00:30 on 1 June in England is 23:30 on 31 May in UTC, and still June.
    assert [m.raised for m in follow.months] == [1, 1, 1, 1, 1, 2]
    one_month = replace(PERIOD, start=date(2026, 11, 1))
    assert [m.raised for m in programme.follow_up(session, one_month, TODAY).months] == [2]
