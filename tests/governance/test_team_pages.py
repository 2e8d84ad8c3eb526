"""Teams managed in the browser: list with counts, add, rename, merge (after a confirmation
saying what moves) and retire (its people move; its cases and figures stay)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from qa_app.cases.operations import import_case_list
from qa_app.extensions import db
from qa_app.models import Audit, Case, Role, Team, User
from tests.cases.case_files import case_rows, csv_bytes
from tests.governance.conftest import TEAM_A, TEAM_B
from tests.governance.html_tables import page_text, table_rows
from tests.html_checks import check_page

TEAM_PAGES = ["/admin/teams", "/admin/teams/new"]


def _team(app, name: str) -> Team:
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == name))
        db.session.expunge(team)
        return team


def test_the_teams_list_counts_people_cases_and_audits(app, people, client_for, make_audit):
    make_audit(people.auditor, "SYN-700001", team=TEAM_A)
    make_audit(people.auditor, "SYN-700002", team=TEAM_A)
    make_audit(people.auditor, "SYN-700002", team=TEAM_A)
    make_audit(people.auditor, "SYN-700003", team=TEAM_B)
    html = client_for(people.admin).get("/admin/teams").get_data(as_text=True)
    check_page(html)
    rows = {row["Team"]: row for row in table_rows(html, "teams")}
    assert (rows[TEAM_A]["People"], rows[TEAM_A]["Cases"], rows[TEAM_A]["Audits"]) == (
        "2",
        "2",
        "3",
    )
    assert (rows[TEAM_B]["People"], rows[TEAM_B]["Cases"], rows[TEAM_B]["Audits"]) == (
        "1",
        "1",
        "1",
    )
    assert rows[TEAM_A]["Status"] == "Current"


@pytest.mark.parametrize("path", TEAM_PAGES)
def test_only_administrators_reach_the_teams_pages(app, people, client_for, path):
    assert client_for(people.manager_a).get(path).status_code == 403
    assert app.test_client().get(path).status_code == 302  # to sign in


def test_an_admin_adds_and_renames_a_team_and_a_taken_name_keeps_what_was_typed(
    app, people, client_for, events
):
    admin = client_for(people.admin)
    response = admin.post("/admin/teams/new", data={"name": "  Team  North (synthetic) "})
    assert response.status_code == 302
    north = _team(app, "Team North (synthetic)")

    html = admin.post(f"/admin/teams/{north.id}/rename", data={"name": "team a (SYNTHETIC)"})
    html = html.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "There is already a team called team a (SYNTHETIC)" in html
    assert 'value="team a (SYNTHETIC)"' in html
    assert _team(app, "Team North (synthetic)").id == north.id  # unchanged

    empty = admin.post("/admin/teams/new", data={"name": ""}).get_data(as_text=True)
    assert "Enter the team&#39;s name" in empty or "Enter the team's name" in empty

    response = admin.post(
        f"/admin/teams/{north.id}/rename", data={"name": "Team South (synthetic)"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Team, north.id).name == "Team South (synthetic)"
    assert [e.details["team_id"] for e in events("team_added")] == [north.id]
    assert [e.actor_id for e in events("team_renamed")] == [people.admin.id]


def test_merging_shows_what_moves_then_moves_cases_audits_and_people(
    app, people, client_for, make_audit, events
):
    audit_id = make_audit(people.auditor, "SYN-710001", team=TEAM_B)
    team_a, team_b = _team(app, TEAM_A), _team(app, TEAM_B)
    admin = client_for(people.admin)
    choose = admin.get(f"/admin/teams/{team_b.id}/merge").get_data(as_text=True)
    check_page(choose)

    missing = admin.post(f"/admin/teams/{team_b.id}/merge", data={"into": ""})
    assert "Select the team to merge into" in missing.get_data(as_text=True)

    confirm = admin.post(f"/admin/teams/{team_b.id}/merge", data={"into": str(team_a.id)})
    html = confirm.get_data(as_text=True)
    check_page(html)
    text = page_text(html)
    assert f"Merge {TEAM_B} into {TEAM_A}?" in text
    assert "Cases 1 Audits of those cases 1 People 1 Safeguarding concerns 0" in text
    with app.app_context():  # nothing has moved yet
        assert db.session.get(User, people.manager_b.id).team_id == team_b.id

    response = admin.post(
        f"/admin/teams/{team_b.id}/merge", data={"into": str(team_a.id), "confirmed": "yes"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, people.manager_b.id).team_id == team_a.id
        audit = db.session.get(Audit, audit_id)
        assert db.session.get(Case, audit.case_id).team_id == team_a.id
        assert db.session.get(Team, team_b.id).retired_at is not None
    (merged,) = events("teams_merged")
    assert (merged.details["source_team_id"], merged.details["target_team_id"]) == (
        team_b.id,
        team_a.id,
    )
    rows = {
        row["Team"]: row for row in table_rows(admin.get("/admin/teams").get_data(True), "teams")
    }
    assert rows[TEAM_B]["Status"].startswith("Retired")
    assert "Merge" not in rows[TEAM_B]["Change"]
    # A retired team's pages send the admin back to the list.
    assert admin.get(f"/admin/teams/{team_b.id}/merge").status_code == 302


def test_retiring_moves_its_people_keeps_its_cases_and_takes_no_new_ones(
    app, people, client_for, make_audit, events
):
    make_audit(people.auditor, "SYN-720001", team=TEAM_B)
    team_a, team_b = _team(app, TEAM_A), _team(app, TEAM_B)
    admin = client_for(people.admin)
    html = admin.get(f"/admin/teams/{team_b.id}/retire").get_data(as_text=True)
    check_page(html)
    assert "Its 1 cases and their 1 audits stay in it" in page_text(html)
    assert "Test Manager 3" in page_text(html)  # Team B's one person, named

    # Team B has a manager: leaving them with no team would let them see every team.
    refused = admin.post(f"/admin/teams/{team_b.id}/retire", data={"people_to": ""})
    assert "has managers: choose the team they join" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Team, team_b.id).retired_at is None

    response = admin.post(f"/admin/teams/{team_b.id}/retire", data={"people_to": str(team_a.id)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Team, team_b.id).retired_at is not None
        assert db.session.get(User, people.manager_b.id).team_id == team_a.id
        case = db.session.scalar(select(Case).where(Case.reference == "SYN-720001"))
        assert case.team_id == team_b.id  # the figures by team stay as they were
    (retired,) = events("team_retired")
    assert (retired.details["people_to_team_id"], retired.details["people_moved"]) == (
        team_a.id,
        1,
    )

    # No new people and no new cases for a retired team.
    add = admin.post(
        "/admin/people/new",
        data={
            "display_name": "Rae Retired (synthetic)",
            "email": "rae@example.org",
            "role": "auditor",
            "team": str(team_b.id),
            "password": "kettle orchard lantern",
        },
    )
    assert add.status_code == 200 and "Not a valid choice" in add.get_data(as_text=True)
    with app.app_context():
        result = import_case_list(
            db.session,
            io.BytesIO(csv_bytes(case_rows(1, team=TEAM_B, start=720002))),
            "cases.csv",
            db.session.get(User, people.admin.id),
            create_teams=True,
        )
        db.session.rollback()
        assert not result.imported
        assert "is a retired team and takes no cases" in str(result.row_problems)
        assert db.session.scalar(select(Case).where(Case.reference == "SYN-720002")) is None
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "r@example.org",
            "--name",
            "R",
            "--role",
            Role.AUDITOR.value,
            "--team",
            TEAM_B,
            "--password-stdin",
        ],
        input="kettle orchard lantern\n",
    )
    assert result.exit_code == 1 and "is retired: choose a current team" in result.output
