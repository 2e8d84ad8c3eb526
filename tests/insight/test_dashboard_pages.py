"""The dashboard, a finding's page and the JSON API, for each role that may read them."""

from __future__ import annotations

import pytest

from qa_app.models import Role
from tests.html_checks import check_page

CUSTOM = "period=custom&from-month=6&from-year=2026&to-month=11&to-year=2026"


def test_a_manager_without_a_team_sees_every_panel_with_its_table(
    client, make_user, sign_in, world
):
    sign_in(make_user(Role.MANAGER, team=None))
    response = client.get(f"/insight?{CUSTOM}")
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    html = response.get_data(as_text=True)
    assert page.title.startswith("Dashboard")
    for heading in (
        "Grade profile",
        "Trend by month",
        "Teams",
        "Team and criterion heat map",
        "Inspection findings",
        "Moderation",
        "Follow-up",
        "Audit programme",
    ):
        assert f">{heading}</h2>" in html
    assert "25% good or better in June 2026 to November 2026 (4 audits)" in html
    assert "Did every strategy meeting action have a timescale?" in html
    assert "<svg" in html and "<script" not in html.split("</svg>")[0].split("<svg")[-1]
    assert 'style="' not in html


def test_a_team_manager_sees_only_their_team(client, make_user, sign_in, world, app):
    with app.app_context():
        from qa_app.extensions import db
        from qa_app.models import Team

        team_b = db.session.get(Team, world.team_b).name
    sign_in(make_user(Role.MANAGER, team=team_b))
    html = client.get(f"/insight?{CUSTOM}").get_data(as_text=True)
    assert "Team A (synthetic)" not in html
    data = client.get(f"/api/insight/teams?{CUSTOM}").json["data"]
    assert [t["team"] for t in data] == ["Team B (synthetic)"]


def test_a_leader_lands_on_the_dashboard_with_small_numbers_suppressed(
    client, make_user, sign_in, world
):
    sign_in(make_user(Role.LEADER, team=None))
    assert client.get("/").location.endswith("/insight")
    html = client.get(f"/insight?{CUSTOM}").get_data(as_text=True)
    assert "fewer than 5" in html
    assert "25%" not in html
    data = client.get(f"/api/insight/grade-profile?{CUSTOM}").json
    assert data["filters"]["suppressed_below"] == 5
    assert data["data"]["current"]["good"] == {
        "suppressed": True,
        "percent": None,
        "count": None,
        "total": None,
    }
    assert data["data"]["current"]["audits"] is None


def test_json_matches_the_page(client, make_user, sign_in, world):
    sign_in(make_user(Role.ADMIN, team=None))
    data = client.get(f"/api/insight/heat-map?{CUSTOM}").json["data"]
    rows = {row["lineage_key"]: row for row in data["rows"]}
    assert [c["percent"] for c in rows["strategy_timed"]["cells"]] == [100.0, 50.0]
    trend = client.get(f"/api/insight/findings?{CUSTOM}").json["data"]
    timescales = next(t for t in trend if t["finding"] == "strategy-timescales")
    assert timescales["latest"]["percent"] == 100.0
    assert timescales["months"][-1] == ["2026-11-01", timescales["latest"]]
    profile = client.get(f"/api/insight/grade-profile?{CUSTOM}&grade=auditor").json["data"]
    assert profile["current"]["good"]["percent"] == 50.0
    assert client.get("/api/insight/no-such-panel").status_code == 404


def test_a_finding_lists_its_criteria(client, make_user, sign_in, world):
    sign_in(make_user(Role.QA_LEAD, team=None))
    response = client.get(f"/insight/findings/strategy-timescales?{CUSTOM}")
    page = check_page(response.get_data(as_text=True))
    assert page.title.startswith("Strategy meeting actions have explicit timescales")
    assert "Did every strategy meeting action have a timescale?" in response.get_data(as_text=True)
    assert client.get("/insight/findings/nothing-like-this").status_code == 404


def test_bad_filters_are_reported_keep_what_was_typed_and_still_show_figures(
    client, make_user, sign_in, world
):
    sign_in(make_user(Role.ADMIN, team=None))
    response = client.get(
        "/insight?period=custom&from-month=13&from-year=2026&to-month=2&to-year=2026"
    )
    page = check_page(response.get_data(as_text=True))
    html = response.get_data(as_text=True)
    assert page.title.startswith("Error: Dashboard")
    assert "There is a problem with the filters" in html
    assert 'value="13"' in html
    bad = client.get("/api/insight/trend?team=abc")
    assert bad.status_code == 400 and bad.json["errors"]["team"] == "Select a team"


@pytest.mark.parametrize("role", [Role.AUDITOR])
def test_auditors_cannot_read_dashboards(client, make_user, sign_in, world, role):
    sign_in(make_user(role))
    assert client.get("/insight").status_code == 403
    assert client.get("/api/insight/trend").status_code == 403


def test_the_dashboard_costs_the_same_queries_however_many_audits(
    client, make_user, sign_in, world, count_queries
):
    sign_in(make_user(Role.ADMIN, team=None))
    with count_queries() as counter:
        client.get(f"/insight?{CUSTOM}")
    assert len(counter.statements) < 40
