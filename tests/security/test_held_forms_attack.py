"""Held forms replayed as the attack did: anonymous posts to an audit page, a stranger's posts,
and a flood meant to evict the owner's genuine held form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from qa_app.audits.held_forms import MAX_HELD_PER_AUDIT
from qa_app.auth.form_owner import OWNER_COOKIE
from qa_app.extensions import db
from qa_app.models import HeldForm, Role
from tests.audits.helpers import start_audit_through_the_form
from tests.conftest import TEST_PASSWORD

ATTACK = "Synthetic attacker text"


def _held_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(HeldForm.id)))


def _page_token(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)[1]


@pytest.fixture
def owner_audit(app, client, make_user, sign_in, templates_loaded):
    """An auditor signed in with an audit of their own open; returns (user, audit id)."""
    user = make_user(Role.AUDITOR, team="Team B")
    sign_in(user)
    return user, start_audit_through_the_form(client, app)


@pytest.mark.parametrize("csrf", [False, True])
def test_an_anonymous_post_holds_nothing_and_does_not_reveal_whether_the_audit_exists(
    app, owner_audit, csrf
):
    _, audit_id = owner_audit
    app.config["WTF_CSRF_ENABLED"] = csrf
    stranger = app.test_client()
    real = stranger.post(f"/audits/{audit_id}/overall", data={"overall_rationale": ATTACK})
    missing = stranger.post("/audits/999999/overall", data={"overall_rationale": ATTACK})
    assert _held_count(app) == 0
    assert "held=" not in (real.location or "")
    assert (real.status_code, real.location) == (missing.status_code, missing.location)


def test_a_signed_out_post_is_held_only_with_the_owner_cookie_and_a_token_of_that_session(
    app, client, owner_audit
):
    user, audit_id = owner_audit
    url = f"/audits/{audit_id}/overall"
    token = _page_token(client, url)
    client.delete_cookie("session", domain="qa.test")  # the session ends
    # A stranger holding only a page token (from a shared screen, say) gets nothing held.
    stranger = app.test_client()
    stranger.post(url, data={"csrf_token": token, "overall_rationale": ATTACK})
    assert _held_count(app) == 0
    # The owner's own browser (owner cookie + token of the same session) keeps the text...
    kept = client.post(url, data={"csrf_token": token, "overall_rationale": "Synthetic: mine"})
    assert "held%3D" in kept.location and _held_count(app) == 1
    # ...but not with a token made in another session.
    other = app.test_client()
    other.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    foreign = _page_token(other, url)
    client.post(url, data={"csrf_token": foreign, "overall_rationale": ATTACK})
    assert _held_count(app) == 1


def test_a_held_form_is_restored_only_to_its_owner(app, client, make_user, owner_audit):
    _, audit_id = owner_audit
    url = f"/audits/{audit_id}/overall"
    token = _page_token(client, url)
    client.delete_cookie("session", domain="qa.test")
    kept = client.post(url, data={"csrf_token": token, "overall_rationale": "Synthetic: mine"})
    held_url = kept.location.split("next=")[1].replace("%2F", "/").replace("%3F", "?")
    held_url = held_url.replace("%3D", "=")
    intruder = make_user(Role.AUDITOR, team="Team B")
    other = app.test_client()
    other.post("/sign-in", data={"email": intruder.email, "password": TEST_PASSWORD})
    assert "Synthetic: mine" not in other.get(held_url).text


def test_another_users_posts_cannot_evict_the_owners_held_form(app, client, make_user, owner_audit):
    owner, audit_id = owner_audit
    url = f"/audits/{audit_id}/overall"
    token = _page_token(client, url)
    client.delete_cookie("session", domain="qa.test")
    client.post(url, data={"csrf_token": token, "overall_rationale": "Synthetic: mine"})
    attacker = make_user(Role.AUDITOR, team="Team B")
    other = app.test_client()
    other.post("/sign-in", data={"email": attacker.email, "password": TEST_PASSWORD})
    attacker_token = _page_token(other, "/audits/")
    other.delete_cookie("session", domain="qa.test")
    for _ in range(MAX_HELD_PER_AUDIT + 2):
        other.post(url, data={"csrf_token": attacker_token, "overall_rationale": ATTACK})
    with app.app_context():
        held = db.session.scalars(select(HeldForm)).all()
        assert [h.user_id for h in held] == [owner.id]


def test_signing_out_forgets_the_owner_cookie(client, owner_audit):
    response = client.post("/sign-out")
    assert any(c.startswith(f"{OWNER_COOKIE}=;") for c in response.headers.getlist("Set-Cookie"))


def test_the_owner_cookie_is_http_only_and_same_site(app, make_user):
    user = make_user(Role.AUDITOR)
    response = app.test_client().post(
        "/sign-in", data={"email": user.email, "password": TEST_PASSWORD}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(OWNER_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
