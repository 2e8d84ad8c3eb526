"""``flask rounds draw``: preview, confirm and assign from the command line."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, AuditRound, AuditStatus, Role, RoundCase
from tests.rounds.helpers import TEAM_A, TEAM_B

BASE = [
    "rounds",
    "draw",
    "--name",
    "June 2026 case audits (synthetic)",
    "--template",
    "front-door",
    "--period-start",
    "2026-06-01",
    "--period-end",
    "2026-06-30",
    "--due",
    "2026-07-15",
]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def cases(add_cases, templates_loaded):
    add_cases(TEAM_A, 6, case_type="CIN")
    add_cases(TEAM_A, 2, case_type="CP")
    add_cases(TEAM_B, 2, case_type="CP")


def test_draw_without_confirm_prints_the_sample_and_stores_nothing(app, runner, cases):
    result = runner.invoke(args=[*BASE, "--per-team", "3", "--seed", "77"])
    assert result.exit_code == 0, result.output
    assert "Seed: 77" in result.output
    assert len(re.findall(r"SYN-\d{6}", result.output)) == 5
    assert f"Shortfall: {TEAM_B} has 2 eligible cases; 3 were asked for" in result.output
    assert "Preview only: nothing was stored" in result.output
    assert _count(app, AuditRound) == 0 and _count(app, AuditEvent) == 0
    again = runner.invoke(args=[*BASE, "--per-team", "3", "--seed", "77"])
    assert re.findall(r"SYN-\d{6}", again.output) == re.findall(r"SYN-\d{6}", result.output)


def test_draw_with_confirm_and_assign_stores_the_round_and_its_audits(
    app, runner, cases, make_user
):
    make_user(Role.AUDITOR, team=TEAM_A)
    make_user(Role.AUDITOR, team=TEAM_B)
    result = runner.invoke(
        args=[*BASE, "--percent", "50", "--stratify", "--confirm", "--assign-evenly"]
    )
    assert result.exit_code == 0, result.output
    assert "Stored round" in result.output
    assert "Assigned 5 audits across 2 auditors, due 2026-07-15." in result.output
    with app.app_context():
        audit_round = db.session.scalar(select(AuditRound))
        assert audit_round.status == "confirmed"
        assert audit_round.rule["stratify_by_case_type"] is True
        strata = {rc.stratum for rc in audit_round.cases}
        assert strata == {f"{TEAM_A} / CIN", f"{TEAM_A} / CP", f"{TEAM_B} / CP"}
        audits = db.session.scalars(select(Audit)).all()
        assert len(audits) == len(audit_round.cases) == 5
        assert {a.status for a in audits} == {AuditStatus.ASSIGNED.value}
        assert all(a.auditor.team_id != a.case.team_id for a in audits)
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[:2] == ["round_created", "round_confirmed"]
        assert "audits_assigned" in actions and actions.count("audit_assigned") == 5


def test_a_long_sample_is_summarised_by_stratum(app, runner, add_cases, templates_loaded):
    add_cases(TEAM_A, 80)
    result = runner.invoke(args=[*BASE, "--percent", "100", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "counts by stratum" in result.output
    assert f"   80  {TEAM_A}" in result.output
    assert not re.search(r"SYN-\d{6}", result.output)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "give exactly one of --per-team N or --percent P"),
        (["--per-team", "2", "--percent", "5"], "give exactly one of --per-team N or --percent P"),
        (["--per-team", "2", "--assign-evenly"], "--assign-evenly needs --confirm"),
        (["--per-team", "0"], "Number of cases per team must be between 1 and 1,000"),
        (["--percent", "150"], "Percentage must be more than 0 and no more than 100"),
        (["--per-team", "2", "--exclude-months", "-1"], "Months must be between 0 and 120"),
    ],
)
def test_a_wrong_rule_is_explained_and_exits_1(app, runner, cases, extra, message):
    result = runner.invoke(args=[*BASE, *extra])
    assert result.exit_code == 1
    assert message in result.output
    assert _count(app, AuditRound) == 0


def test_wrong_dates_and_unknown_templates_are_explained(app, runner, cases):
    swapped = [*BASE, "--per-team", "1"]
    swapped[swapped.index("2026-06-30")] = "2026-05-31"
    result = runner.invoke(args=swapped)
    assert result.exit_code == 1
    assert "Period end must be the same as or after the period start" in result.output

    bad = [*BASE, "--per-team", "1"]
    bad[bad.index("2026-07-15")] = "15/07/2026"
    result = runner.invoke(args=bad)
    assert result.exit_code == 1
    assert "--due must be a real date written YYYY-MM-DD, not '15/07/2026'" in result.output

    unknown = [*BASE, "--per-team", "1", "--version", "9"]
    result = runner.invoke(args=unknown)
    assert result.exit_code == 1
    assert "no version 9 of template with key 'front-door' is loaded" in result.output
    assert _count(app, AuditRound) == 0 and _count(app, RoundCase) == 0
