"""Sign-in throttling replayed: thirty wrong passwords in a row, then the right one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import AuditEvent, Role, SignInFailure
from tests.conftest import TEST_PASSWORD

THROTTLED = "There have been too many attempts to sign in"


def _attempt(client, email: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture(params=["database", "shared store"])
def throttle_backend(request, app):
    """Both places throttling state can live: the database, and a ``limits`` storage (memory://
    here; Redis or Memcached in production, shared by every server)."""
    if request.param == "shared store":
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    return request.param


def test_after_five_failures_even_the_right_password_waits(client, make_user, throttle_backend):
    user = make_user(Role.AUDITOR)
    for _ in range(5):
        assert "Enter a correct email" in _attempt(client, user.email, "wrong guess").text
    refused = _attempt(client, user.email, TEST_PASSWORD)
    assert refused.status_code == 200
    assert f"{THROTTLED}. Try again in 15 minutes" in refused.text
    assert client.get("/audits/").status_code == 302  # not signed in


def test_the_lock_is_per_account_and_lifts_when_the_window_passes(
    app, client, make_user, throttle_backend
):
    locked, other = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    for _ in range(5):
        _attempt(client, locked.email, "wrong guess")
    assert _attempt(client, other.email, TEST_PASSWORD).status_code == 302
    client.post("/sign-out")
    if throttle_backend == "database":
        with app.app_context():
            for failure in db.session.scalars(select(SignInFailure)):
                failure.failed_at -= timedelta(minutes=16)
            db.session.commit()
        assert _attempt(client, locked.email, TEST_PASSWORD).status_code == 302


def test_an_unknown_email_is_throttled_exactly_like_a_real_one(client, make_user):
    for _ in range(5):
        _attempt(client, "nobody@example.org", "wrong guess")
    assert THROTTLED in _attempt(client, "nobody@example.org", "wrong guess").text


def test_one_address_trying_many_accounts_is_throttled(app, client, make_user, throttle_backend):
    app.config["SIGN_IN_ADDRESS_LIMIT"] = 8
    user = make_user(Role.AUDITOR)
    for n in range(8):
        _attempt(client, f"guess{n}@example.org", "wrong guess")
    assert THROTTLED in _attempt(client, user.email, TEST_PASSWORD).text
    # Someone at another address is not held up.
    assert _attempt(client, user.email, TEST_PASSWORD, address="203.0.113.9").status_code == 302


def test_the_lock_out_is_recorded_in_the_event_log_once(app, client, make_user):
    user = make_user(Role.AUDITOR)
    for _ in range(8):
        _attempt(client, user.email, "wrong guess")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sign_in_throttled")
        ).all()
        assert len(events) == 1 and events[0].details == {"user_id": user.id}
        # No typed email is stored: the keys are keyed hashes.
        keys = db.session.scalars(select(SignInFailure.key)).all()
        assert keys and not any("@" in key for key in keys)


def test_a_success_clears_the_accounts_failures(app, client, make_user):
    user = make_user(Role.AUDITOR)
    for _ in range(4):
        _attempt(client, user.email, "wrong guess")
    assert _attempt(client, user.email, TEST_PASSWORD).status_code == 302
    with app.app_context():
        accounts = select(func.count()).where(SignInFailure.scope == "account")
        assert db.session.scalar(accounts) == 0


def test_an_unknown_email_costs_the_same_password_hash_check_as_a_real_one(
    client, make_user, monkeypatch
):
    """The attack timed 179 ms for a real email and 13 ms for an unknown one: both now verify
    one password hash of the same kind."""
    import qa_app.auth.routes as routes
    import qa_app.models.people as people

    checked: list[str] = []

    def counting(real):
        def check(pwhash: str, password: str) -> bool:
            checked.append(pwhash.split("$")[0])
            return real(pwhash, password)

        return check

    monkeypatch.setattr(people, "check_password_hash", counting(people.check_password_hash))
    monkeypatch.setattr(routes, "check_password_hash", counting(routes.check_password_hash))
    user = make_user(Role.AUDITOR)
    _attempt(client, user.email, "wrong guess")
    _attempt(client, "nobody@example.org", "wrong guess")
    assert len(checked) == 2 and checked[0] == checked[1]


def test_failures_count_across_workers_sharing_the_database(app, client, make_user):
    """Two app instances stand for two gunicorn workers (or two servers): failures spread
    across them still add up to one lock-out."""
    from qa_app import create_app

    second_app = create_app(dict(app.config))
    second_worker = second_app.test_client()
    user = make_user(Role.AUDITOR)
    try:
        for n in range(5):
            _attempt(client if n % 2 else second_worker, user.email, "wrong guess")
        assert THROTTLED in _attempt(client, user.email, TEST_PASSWORD).text
        assert THROTTLED in _attempt(second_worker, user.email, TEST_PASSWORD).text
    finally:
        with second_app.app_context():
            db.engine.dispose()
