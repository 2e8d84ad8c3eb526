"""Sessions end on the server: a copied cookie opens nothing after sign-out, a password change,
deactivation or "sign out everywhere", nor after the absolute lifetime."""

from __future__ import annotations

from datetime import timedelta

from qa_app.auth.sessions import end_all_sessions
from qa_app.extensions import db
from qa_app.models import Role, User


def _copy_session_cookie(client) -> str:
    return client.get_cookie("session", domain="qa.test").value


def _replay(client, cookie: str) -> None:
    client.set_cookie("session", cookie, domain="qa.test")


def test_a_session_cookie_copied_before_sign_out_opens_nothing_afterwards(
    client, make_user, sign_in
):
    sign_in(make_user(Role.MANAGER))
    assert client.get("/manage/audits").status_code == 200
    copied = _copy_session_cookie(client)
    assert client.post("/sign-out").status_code == 302
    _replay(client, copied)
    response = client.get("/manage/audits")
    assert response.status_code == 302 and "/sign-in" in response.location
    # ...and the replayed cookie was not renewed into a working one.
    assert client.get("/manage/audits").status_code == 302


def test_signing_out_in_one_browser_ends_the_users_other_sessions(app, make_user):
    from tests.conftest import TEST_PASSWORD

    user = make_user(Role.AUDITOR)
    office, laptop = app.test_client(), app.test_client()
    for browser in (office, laptop):
        browser.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
        assert browser.get("/audits/").status_code == 200
    office.post("/sign-out")
    assert laptop.get("/audits/").status_code == 302


def test_ending_all_sessions_refuses_every_existing_session(app, client, make_user, sign_in):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    assert client.get("/audits/").status_code == 200
    with app.app_context():
        end_all_sessions(db.session, db.session.get(User, user.id))
        db.session.commit()
    assert client.get("/audits/").status_code == 302
    sign_in(user)  # a new sign-in works again
    assert client.get("/audits/").status_code == 200


def test_deactivating_a_user_ends_their_session(app, client, make_user, sign_in):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/audits/").status_code == 302


def test_a_session_ends_after_the_absolute_lifetime_however_active(app, client, make_user, sign_in):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    assert client.get("/audits/").status_code == 200
    app.config["SESSION_ABSOLUTE_LIFETIME"] = timedelta(seconds=0)
    assert client.get("/audits/").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    from tests.conftest import TEST_PASSWORD

    user = make_user(Role.AUDITOR)
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_in_production_cookies_are_secure_and_browsers_keep_to_https(tmp_path):
    from qa_app import create_app

    app = create_app(
        {"SECRET_KEY": "x", "ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/health")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
