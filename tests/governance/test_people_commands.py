"""People and teams from the command line: the same rules as the pages."""

from __future__ import annotations

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, Case, Role, Team, User


def _user(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_a_leaver_is_deactivated_their_open_audits_move_and_their_session_stops(
    app, runner, people, client_for, make_audit
):
    leaver_client = client_for(people.auditor)
    open_audit = make_audit(people.auditor, "SYN-700001")
    submitted = make_audit(people.auditor, "SYN-700002", status="submitted")
    result = runner.invoke(
        args=[
            "users",
            "deactivate",
            people.auditor.email,
            "--reassign-to",
            people.other_auditor.email,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "reassigned 1 audits and 0 actions" in result.output
    assert leaver_client.get("/audits/").status_code == 302  # the open session is over
    with app.app_context():
        assert db.session.get(Audit, open_audit).auditor_id == people.other_auditor.id
        assert db.session.get(Audit, submitted).auditor_id == people.auditor.id
        assert db.session.get(User, people.auditor.id).active is False
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_deactivated"))
        assert event.details["audits_reassigned"] == 1
    result = runner.invoke(args=["users", "reactivate", people.auditor.email])
    assert result.exit_code == 0
    assert _user(app, people.auditor.id).active is True


def test_the_last_admin_cannot_be_deactivated_or_lose_the_role(app, runner, people):
    result = runner.invoke(args=["users", "deactivate", people.admin.email])
    assert result.exit_code == 1
    assert "cannot deactivate the last active administrator" in result.output
    result = runner.invoke(args=["users", "set-role", people.admin.email, "manager"])
    assert result.exit_code == 1
    assert _user(app, people.admin.id).role == Role.ADMIN.value


def test_roles_and_teams_change_and_are_listed(app, runner, people):
    assert runner.invoke(args=["users", "set-role", people.auditor.email, "qa_lead"]).exit_code == 0
    assert runner.invoke(args=["teams", "add", "Team Z (synthetic)"]).exit_code == 0
    result = runner.invoke(args=["users", "set-team", people.auditor.email, "team z (synthetic)"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list"]).output
    line = next(x for x in listing.splitlines() if x.startswith(people.auditor.email))
    assert "\tqa_lead\tTeam Z (synthetic)\tactive\t" in line
    assert runner.invoke(args=["teams", "add", "team z (SYNTHETIC)"]).exit_code == 1


def test_merging_teams_moves_cases_audits_and_people_and_retires_the_source(
    app, runner, people, make_audit
):
    audit_id = make_audit(people.auditor, "SYN-800001", team="Team B (synthetic)")
    result = runner.invoke(args=["teams", "merge", "Team B (synthetic)", "Team A (synthetic)"])
    assert result.exit_code == 0, result.output
    assert "1 cases and 1 people moved" in result.output
    with app.app_context():
        team_a = db.session.scalar(select(Team).where(Team.name == "Team A (synthetic)"))
        team_b = db.session.scalar(select(Team).where(Team.name == "Team B (synthetic)"))
        case = db.session.get(Case, db.session.get(Audit, audit_id).case_id)
        assert case.team_id == team_a.id
        assert db.session.get(User, people.manager_b.id).team_id == team_a.id
        assert team_b.retired_at is not None
    listing = runner.invoke(args=["teams", "list"]).output
    assert "Team B (synthetic)\tretired\t0 people\t0 cases" in listing
    renamed = runner.invoke(
        args=["teams", "rename", "Team A (synthetic)", "Team North (synthetic)"]
    )
    assert renamed.exit_code == 0


def test_retiring_a_team_moves_its_people_and_keeps_its_cases(app, runner, people, make_audit):
    make_audit(people.auditor, "SYN-810001", team="Team B (synthetic)")
    refused = runner.invoke(args=["teams", "retire", "Team B (synthetic)"])
    assert refused.exit_code == 1 and "has managers" in refused.output
    result = runner.invoke(
        args=["teams", "retire", "Team B (synthetic)", "--people-to", "Team A (synthetic)"]
    )
    assert result.exit_code == 0, result.output
    assert "1 people moved to Team A (synthetic)" in result.output
    listing = runner.invoke(args=["teams", "list"]).output
    assert "Team B (synthetic)\tretired\t0 people\t1 cases\t1 audits" in listing


def test_an_unknown_email_is_refused(runner, people):
    result = runner.invoke(args=["users", "deactivate", "nobody@example.org"])
    assert result.exit_code == 1
    assert "No user has the email nobody@example.org" in result.output
