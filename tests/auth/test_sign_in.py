from __future__ import annotations

import pytest
from flask import Flask

from qa_app.models import Role
from tests.conftest import TEST_PASSWORD
from tests.html_checks import check_page

# Routes anyone may reach: signing in, the health check and static files.
PUBLIC_ENDPOINTS = {"auth.sign_in", "pages.health", "pages.favicon", "static"}


def test_signing_in_with_the_right_password_goes_to_the_role_home(client, make_user):
    user = make_user(Role.AUDITOR)
    response = client.post(
        "/sign-in", data={"email": user.email.upper(), "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(response.location).status_code == 302  # home redirects to My audits
    assert "My audits" in client.get("/audits/").get_data(as_text=True)


def test_a_wrong_password_is_refused_with_an_error_and_the_email_kept(client, make_user):
    user = make_user(Role.AUDITOR)
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong password"})
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.has_error_summary
    assert "Enter a correct email address and password" in html
    assert f'value="{user.email}"' in html


def test_an_inactive_user_cannot_sign_in(app, client, make_user):
    from qa_app.extensions import db
    from qa_app.models import User

    user = make_user(Role.AUDITOR)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_sign_in_only_follows_next_links_within_the_site(client, make_user):
    user = make_user(Role.AUDITOR)
    response = client.post(
        "/sign-in?next=https://evil.example/x",
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    assert response.location == "/"


def test_signing_out_ends_the_session(client, make_user, sign_in):
    sign_in(make_user(Role.AUDITOR))
    assert client.post("/sign-out").status_code == 302
    assert client.get("/audits/").status_code == 302


def _routes(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        arguments = {name: 1 for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, arguments


def test_every_route_except_sign_in_health_and_static_requires_sign_in(app, client):
    checked = 0
    with app.test_request_context():
        from flask import url_for

        urls = [(url_for(rule.endpoint, **args), method) for rule, method, args in _routes(app)]
    for url, method in urls:
        response = client.open(url, method=method)
        checked += 1
        if "/autosave/" in url:  # the page script's background save answers in JSON
            assert (response.status_code, response.json) == (401, {"status": "signed_out"})
            continue
        assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
        assert "/sign-in" in response.location, f"{method} {url} went to {response.location}"
    assert checked >= 8


def test_every_route_checks_the_role_of_the_signed_in_user(app):
    """Each view is wrapped by role_required, which records the roles it allows."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint == "auth.sign_out":
            continue
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "pages.home":
            continue  # the home page only redirects by role
        assert getattr(view, "required_roles", None), f"{rule.endpoint} has no role check"


@pytest.mark.parametrize(
    "url", ["/manage/audits", "/manage/audits/summary.xlsx", "/manage/audits/1"]
)
def test_auditors_cannot_reach_manager_pages(client, make_user, sign_in, url):
    sign_in(make_user(Role.AUDITOR))
    response = client.get(url)
    assert response.status_code == 403
    check_page(response.get_data(as_text=True))


def test_health_check_answers_without_sign_in(client):
    assert client.get("/health").json == {"status": "ok"}


def test_unknown_pages_get_a_friendly_404(client, make_user, sign_in):
    sign_in(make_user(Role.AUDITOR))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in check_page(response.get_data(as_text=True)).title


def test_the_favicon_is_served_without_sign_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an icon file, not a page
