"""Nobody starts an audit of a case held by their own team, and typing a reference tells an
auditor only whether they may audit it, never which team holds it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Audit, Case, Role, Team, TemplateVersion

OWN = "Team A"
OTHER = "Team B (synthetic)"
THIRD = "Team C (synthetic)"


@pytest.fixture
def setting(app, make_user, sign_in, templates_loaded):
    """An auditor in Team A, and cases held by Team A and by Team B."""
    auditor = make_user(Role.AUDITOR, team=OWN)
    with app.app_context():
        teams = {name: Team(name=name) for name in (OTHER, THIRD)}
        db.session.add_all(teams.values())
        own = db.session.scalar(select(Team).where(Team.name == OWN))
        db.session.add_all(
            [Case(reference="SYN-OWN-1", team=own), Case(reference="SYN-B-1", team=teams[OTHER])]
        )
        db.session.commit()
        ids = {name: team.id for name, team in teams.items()} | {OWN: own.id}
        version = db.session.scalar(
            select(TemplateVersion.id).where(TemplateVersion.key == "front-door")
        )
    sign_in(auditor)
    return ids, version


def _start(client, version, reference, team_id):
    return client.post(
        "/audits/new",
        data={
            "template_version_id": str(version),
            "case_reference": reference,
            "team_id": str(team_id),
        },
    )


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Audit.id))),
            db.session.scalar(select(func.count(Case.id))),
        )


def test_the_start_page_does_not_offer_the_auditors_own_team(client, setting):
    teams, _ = setting
    html = client.get("/audits/new").get_data(as_text=True)
    team_select = html.split('name="team_id"')[1].split("</select>")[0]
    assert f'value="{teams[OTHER]}"' in team_select
    assert f'value="{teams[OWN]}"' not in team_select and OWN + "<" not in team_select


def test_a_new_case_in_the_auditors_own_team_is_refused_and_not_created(client, app, setting):
    teams, version = setting
    before = _counts(app)
    response = _start(client, version, "SYN-NEW-1", teams[OWN])
    assert response.status_code == 200
    assert "You cannot audit a case held by your own team" in response.get_data(as_text=True)
    assert _counts(app) == before


def test_an_own_team_case_typed_with_another_team_is_refused_without_naming_a_team(
    client, app, setting
):
    teams, version = setting
    before = _counts(app)
    response = _start(client, version, "syn-own-1", teams[OTHER])
    html = response.get_data(as_text=True)
    assert "You cannot start an audit of case SYN-OWN-1: choose another case" in html
    assert "held by Team A" not in html and "your own team" not in html
    assert _counts(app) == before


def test_a_case_typed_with_the_wrong_team_does_not_say_which_team_holds_it(client, app, setting):
    teams, version = setting
    response = _start(client, version, "SYN-B-1", teams[THIRD])
    html = response.get_data(as_text=True)
    assert "is not held by the team you selected" in html
    assert f"held by {OTHER}" not in html
    assert _counts(app)[0] == 0


def test_a_case_the_auditor_may_audit_starts(client, app, setting):
    teams, version = setting
    response = _start(client, version, "SYN-B-1", teams[OTHER])
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.scalars(select(Audit)).one()
        assert audit.case.reference == "SYN-B-1"


def test_a_user_without_a_team_may_start_an_audit_of_any_team(
    client, app, make_user, sign_in, setting
):
    teams, version = setting
    client.post("/sign-out")
    sign_in(make_user(Role.MANAGER, team=None))
    assert _start(client, version, "SYN-OWN-1", teams[OWN]).status_code == 302
