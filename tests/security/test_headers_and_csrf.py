"""Every route of the URL map: security headers on every answer, and no POST without the
session's own CSRF token."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for

from qa_app.models import Role
from tests.conftest import TEST_PASSWORD


def _urls(app: Flask, methods: set[str]) -> list[tuple[str, str, str]]:
    """Return (endpoint, method, url) for every rule, its arguments filled with 1."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            for method in sorted(rule.methods & methods):
                arguments = {name: 1 for name in rule.arguments}
                if rule.endpoint == "static":
                    arguments = {"filename": "css/app.css"}
                found.append((rule.endpoint, method, url_for(rule.endpoint, **arguments)))
    return found


def _assert_security_headers(response, where: str, endpoint: str) -> None:
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy, where
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy, where
    assert "unsafe-eval" not in policy, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    if endpoint != "static":
        assert headers.get("Cache-Control") == "no-store", where


def test_every_route_answers_with_the_security_headers_signed_out(app, client):
    urls = _urls(app, {"GET", "POST"})
    assert len(urls) > 40
    for endpoint, method, url in urls:
        with client.open(url, method=method) as response:
            _assert_security_headers(response, f"{method} {url}", endpoint)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR, Role.LEADER])
def test_every_page_answers_with_the_security_headers_signed_in(
    app, client, make_user, sign_in, role
):
    sign_in(make_user(role))
    for endpoint, _method, url in _urls(app, {"GET"}):
        with client.get(url) as response:
            _assert_security_headers(response, f"GET {url} as {role}", endpoint)


def test_pages_have_no_inline_script_or_style_but_the_nonced_one(app, client, make_user, sign_in):
    sign_in(make_user(Role.ADMIN))
    html = client.get("/audits/").text
    response = client.get("/audits/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert scripts, html
    for attributes in scripts:
        assert f'nonce="{nonce}"' in attributes or "src=" in attributes
    assert " style=" not in response.text and "<style" not in response.text


def test_the_nonce_is_new_for_every_response(client):
    first = client.get("/sign-in").headers["Content-Security-Policy"]
    second = client.get("/sign-in").headers["Content-Security-Policy"]
    assert first != second


def _token_of(client) -> str:
    page = client.get("/sign-in").text
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def _refused(response) -> bool:
    """A POST without the session's token is refused: an error, the page script's JSON answer,
    or (audit pages) the answers held for the signed-in author and the page shown again."""
    if response.status_code in (400, 401, 403):
        return True
    return response.status_code == 302 and "held=" in response.location


def test_every_post_route_refuses_a_missing_or_foreign_csrf_token(app, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.AUDITOR)
    app.config["WTF_CSRF_ENABLED"] = True
    victim, attacker = app.test_client(), app.test_client()
    for browser, user in ((victim, admin), (attacker, other)):
        token = _token_of(browser)
        response = browser.post(
            "/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
    foreign = re.search(r'name="csrf_token" value="([^"]+)"', attacker.get("/audits/").text)[1]
    posts = [url for _, _, url in _urls(app, {"POST"})]
    assert len(posts) > 15
    for url in posts:
        for label, data in (("missing", {}), ("foreign", {"csrf_token": foreign})):
            response = victim.post(url, data=data)
            assert _refused(response), f"POST {url} with a {label} token: {response.status_code}"
    # The victim is still signed in: no POST above (sign-out included) went through.
    assert victim.get("/manage/audits").status_code == 200


def test_signed_out_posts_without_a_token_are_refused_and_store_nothing(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    for endpoint, _, url in _urls(app, {"POST"}):
        response = client.post(url, data={"overall_rationale": "Synthetic attacker text"})
        if endpoint == "audits.autosave":  # the page script's save answers in JSON
            assert (response.status_code, response.json) == (401, {"status": "signed_out"})
        else:
            assert response.status_code == 400, f"POST {url}: {response.status_code}"
