"""Each dashboard figure against a hand computation on the small synthetic world (conftest)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from qa_app.insight import queries
from tests.insight.conftest import PERIOD


def test_grade_profile_counts_final_grades_against_the_previous_period(session, world):
    profile = queries.grade_profile(session, PERIOD)
    now = profile.current
    assert now.audits == 4
    # Final judgements: good, requires improvement, inadequate, requires improvement (moderated).
    assert [(j.label, j.audits) for j in now.judgements] == [
        ("Good", 1),
        ("Requires improvement to be good", 2),
        ("Inadequate", 1),
    ]
    assert (now.good.count, now.good.total, now.good.text) == (1, 4, "25%")
    assert now.inadequate.text == "25%"
    assert profile.previous.audits == 1  # April, in December to May
    assert profile.previous.good.text == "100%"


def test_auditor_grades_ignore_the_moderation(session, world):
    now = queries.grade_profile(session, replace(PERIOD, basis="auditor")).current
    assert now.good.text == "50%"  # good and outstanding
    assert [j.label for j in now.judgements][0] == "Outstanding"


def test_trend_by_month_covers_every_month_of_the_period(session, world):
    trend = queries.monthly_trend(session, PERIOD)
    assert [m.month.month for m in trend] == [6, 7, 8, 9, 10, 11]
    october, november = trend[4], trend[5]
    assert (october.audits, october.inadequate.text) == (1, "100%")
    assert (november.audits, november.good.count) == (3, 1)
    assert trend[0].good.text == "No data"


def test_teams_show_each_teams_profile(session, world):
    teams = {t.team: t for t in queries.team_profiles(session, PERIOD)}
    assert teams["Team A (synthetic)"].good.text == "50%"
    assert teams["Team B (synthetic)"].good.text == "0%"
    assert teams["Team B (synthetic)"].audits == 2


def test_heat_map_joins_versions_by_trend_key_and_leaves_out_na_and_not_asked(session, world):
    heat = queries.heat_map(session, PERIOD)
    assert [name for _, name in heat.teams] == ["Team A (synthetic)", "Team B (synthetic)"]
    rows = {row.lineage_key: row for row in heat.rows}
    timed = rows["strategy_timed"]
    # One row for both versions, worded as the newest version words it.
    assert timed.question == "Did every strategy meeting action have a timescale?"
    # Team A: yes, and a stored answer that was not asked; Team B: partly, yes.
    assert [(c.count, c.total) for c in timed.cells] == [(1, 1), (1, 2)]
    assert [(c.count, c.total) for c in rows["seen_alone"].cells] == [(1, 1), (1, 2)]
    assert [c.text for c in rows["risk"].cells] == ["50%", "50%"]
    assert "actions_timed" not in rows
    assert [r.lineage_key for r in heat.rows] == [
        "risk",
        "strategy_held",
        "strategy_timed",
        "seen_alone",
    ]


def test_findings_tracker_follows_a_finding_across_versions(session, world):
    trends = {t.finding: t for t in queries.findings_tracker(session, PERIOD)}
    timescales = trends["strategy-timescales"]
    assert timescales.text == "Strategy meeting actions have explicit timescales"
    by_month = {m.month: s for m, s in timescales.months}
    assert (by_month[10].count, by_month[10].total) == (0, 1)  # partly
    assert (by_month[11].count, by_month[11].total) == (2, 2)  # not-asked answer left out
    assert timescales.latest.text == "100%"
    assert timescales.year_earlier.text == "No data"
    assert timescales.answers == 3


def test_finding_detail_lists_its_criteria(session, world):
    detail = queries.finding_detail(session, PERIOD, "strategy-timescales")
    assert [(c.lineage_key, c.period.count, c.period.total) for c in detail.criteria] == [
        ("strategy_timed", 2, 3)
    ]
    assert queries.finding_detail(session, PERIOD, "no-such-finding") is None


def test_small_numbers_are_suppressed_everywhere(session, world):
    suppressed = replace(PERIOD, suppress_below=2)
    trend = queries.monthly_trend(session, suppressed)
    assert trend[4].good.text == "fewer than 2" and trend[4].good.percent is None
    assert trend[5].good.text == "33%"
    heat = queries.heat_map(session, replace(PERIOD, suppress_below=5))
    assert all(cell.text == "fewer than 5" for row in heat.rows for cell in row.cells if cell.total)
    assert heat.rows[0].overall.as_json()["count"] is None


def test_filters_narrow_every_panel(session, world):
    team_b = replace(PERIOD, team_id=world.team_b)
    assert queries.grade_profile(session, team_b).current.audits == 2
    version_1 = replace(PERIOD, version_to=1)
    assert queries.grade_profile(session, version_1).current.audits == 2
    scoped = replace(PERIOD, scope_team_ids=(world.team_a,))
    assert [t.team for t in queries.team_profiles(session, scoped)] == ["Team A (synthetic)"]
    october = replace(PERIOD, start=date(2026, 10, 1), end=date(2026, 10, 1))
    assert queries.grade_profile(session, october).current.audits == 1
