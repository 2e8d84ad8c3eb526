"""People managed in the browser: add, move, deactivate; one-time passwords; own password."""

from __future__ import annotations

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, Role, Team, User
from tests.conftest import TEST_PASSWORD
from tests.governance.html_tables import page_text, table_rows
from tests.html_checks import check_page

NEW_PASSWORD = "kettle orchard lantern"
OWN_PASSWORD = "violet harbour teapot"


def test_an_admin_adds_a_colleague_moves_them_and_deactivates_a_leaver(
    app, people, client_for, make_audit
):
    admin = client_for(people.admin)
    html = admin.get("/admin/people").get_data(as_text=True)
    check_page(html)
    assert len(table_rows(html, "people")) == 6
    with app.app_context():
        team_b = db.session.scalar(select(Team).where(Team.name == "Team B (synthetic)")).id
    response = admin.post(
        "/admin/people/new",
        data={
            "display_name": "Casey Colleague (synthetic)",
            "email": "Casey@example.org",
            "role": "qa_lead",
            "team": "",
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        casey = db.session.scalar(select(User).where(User.email == "casey@example.org"))
        assert (casey.role, casey.must_change_password) == ("qa_lead", True)
        casey_id = casey.id
    response = admin.post(
        f"/admin/people/{casey_id}",
        data={
            "display_name": "Casey Colleague (synthetic)",
            "role": "manager",
            "team": str(team_b),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        casey = db.session.get(User, casey_id)
        assert (casey.role, casey.team_id) == ("manager", team_b)

    leaver = client_for(people.auditor)
    open_audit = make_audit(people.auditor, "SYN-990001")
    assert leaver.get("/audits/").status_code == 200
    response = admin.post(
        f"/admin/people/{people.auditor.id}/deactivate",
        data={"reassign_to": str(people.other_auditor.id)},
    )
    assert response.status_code == 302
    assert leaver.get("/audits/").status_code == 302  # their open session stopped at once
    with app.app_context():
        assert db.session.get(Audit, open_audit).auditor_id == people.other_auditor.id


def test_a_one_time_password_must_be_changed_at_first_sign_in(app, people, client_for):
    admin = client_for(people.admin)
    admin.post(
        "/admin/people/new",
        data={
            "display_name": "Nova New (synthetic)",
            "email": "nova@example.org",
            "role": "auditor",
            "team": "",
            "password": NEW_PASSWORD,
        },
    )
    client = app.test_client()
    client.post("/sign-in", data={"email": "nova@example.org", "password": NEW_PASSWORD})
    response = client.get("/audits/")
    assert response.status_code == 302 and response.location.endswith("/account")
    response = client.post(
        "/account",
        data={
            "current_password": NEW_PASSWORD,
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/audits/").status_code == 200
    html = client.get("/account").get_data(as_text=True)
    check_page(html)
    assert "None recorded yet." not in page_text(html)


def test_a_wrong_current_password_is_explained_and_nothing_changes(app, people, client_for):
    client = client_for(people.auditor)
    response = client.post(
        "/account",
        data={
            "current_password": "wrong",
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    html = response.get_data(as_text=True)
    assert check_page(html).title.startswith("Error: Your account")
    assert "Your current password is not right" in page_text(html)
    with app.app_context():
        assert db.session.get(User, people.auditor.id).check_password(TEST_PASSWORD)


def test_an_admin_cannot_remove_their_own_admin_role(app, people, client_for):
    response = client_for(people.admin).post(
        f"/admin/people/{people.admin.id}",
        data={"display_name": "Me", "role": "manager", "team": ""},
    )
    html = response.get_data(as_text=True)
    assert "remove the administrator role" in page_text(html)
    with app.app_context():
        assert db.session.get(User, people.admin.id).role == "admin"


def test_sign_out_everywhere_ends_the_persons_sessions(app, people, client_for):
    other = client_for(people.manager_a)
    client_for(people.admin).post(f"/admin/people/{people.manager_a.id}/sign-out-everywhere")
    assert other.get("/manage/audits").status_code == 302


def test_an_admin_resets_a_password_and_it_must_be_changed(app, people, client_for):
    client_for(people.admin).post(
        f"/admin/people/{people.auditor.id}/password", data={"password": NEW_PASSWORD}
    )
    with app.app_context():
        user = db.session.get(User, people.auditor.id)
        assert user.check_password(NEW_PASSWORD) and user.must_change_password


def test_only_admins_manage_people(app, make_user, client_for):
    assert client_for(make_user(Role.QA_LEAD)).get("/admin/people").status_code == 403
