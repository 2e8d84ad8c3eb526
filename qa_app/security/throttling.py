"""Sign-in throttling that holds across workers and app servers.

Failures are counted per account (the email typed, whether or not it exists) and per address.
Five failures for an account within 15 minutes, or thirty from one address, make further
attempts wait until the oldest of them leaves the window. The state lives in the database by
default; with ``RATELIMIT_STORAGE_URI`` (for example a Redis URL) it lives in that shared store,
through ``limits``, the library behind Flask-Limiter. Never in process memory, so four gunicorn
workers, or four servers, count the same failures.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qa_app.base_model import utcnow
from qa_app.models import SignInFailure

ACCOUNT = "account"
ADDRESS = "address"
_EXTENSION_KEY = "qa_sign_in_throttle"


@dataclass(frozen=True)
class ThrottleKeys:
    """The hashed keys one sign-in attempt is counted under."""

    account: str
    address: str


@dataclass(frozen=True)
class Limits:
    window: timedelta
    per_account: int
    per_address: int


class SignInThrottle(Protocol):
    def wait_before_trying(self, keys: ThrottleKeys) -> timedelta | None:
        """Return how long the attempt must wait, or None when it may go ahead."""

    def record_failure(self, keys: ThrottleKeys) -> None:
        """Count a failed attempt against the account and the address."""

    def record_success(self, keys: ThrottleKeys) -> None:
        """Forget the account's failures (the address's stay counted)."""


def throttle_keys(email: str, address: str | None, secret: str | bytes) -> ThrottleKeys:
    """Return keyed hashes of the email and address, so no typed email is ever stored."""
    key = secret.encode() if isinstance(secret, str) else secret

    def digest(kind: str, value: str) -> str:
        return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    return ThrottleKeys(digest(ACCOUNT, email.strip().lower()), digest(ADDRESS, address or "-"))


def minutes_to_wait(wait: timedelta) -> int:
    """Return the wait in whole minutes, rounded up, at least one."""
    return max(1, math.ceil(wait.total_seconds() / 60))


class DatabaseThrottle:
    """Failures as rows of ``sign_in_failures``; the caller commits with its transaction."""

    def __init__(self, session: Session, limits: Limits) -> None:
        self.session = session
        self.limits = limits

    def wait_before_trying(self, keys: ThrottleKeys) -> timedelta | None:
        now = utcnow()
        waits = [
            self._wait(ACCOUNT, keys.account, self.limits.per_account, now),
            self._wait(ADDRESS, keys.address, self.limits.per_address, now),
        ]
        longest = max((wait for wait in waits if wait is not None), default=None)
        return longest

    def _wait(self, scope: str, key: str, limit: int, now: datetime) -> timedelta | None:
        recent = self.session.scalars(
            select(SignInFailure.failed_at)
            .where(
                SignInFailure.scope == scope,
                SignInFailure.key == key,
                SignInFailure.failed_at > now - self.limits.window,
            )
            .order_by(SignInFailure.failed_at.desc())
            .limit(limit)
        ).all()
        if len(recent) < limit:
            return None
        oldest = _aware(recent[-1])
        return max(oldest + self.limits.window - now, timedelta(seconds=1))

    def record_failure(self, keys: ThrottleKeys) -> None:
        now = utcnow()
        self.session.execute(
            delete(SignInFailure).where(SignInFailure.failed_at <= now - self.limits.window)
        )
        self.session.add_all(
            [
                SignInFailure(scope=ACCOUNT, key=keys.account, failed_at=now),
                SignInFailure(scope=ADDRESS, key=keys.address, failed_at=now),
            ]
        )
        self.session.flush()

    def record_success(self, keys: ThrottleKeys) -> None:
        self.session.execute(
            delete(SignInFailure).where(
                SignInFailure.scope == ACCOUNT, SignInFailure.key == keys.account
            )
        )


class SharedStoreThrottle:
    """Failures in a ``limits`` storage (Redis, Memcached, MongoDB...) shared by every server."""

    def __init__(self, storage_uri: str, limits: Limits) -> None:
        from limits import RateLimitItemPerSecond
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        seconds = int(limits.window.total_seconds())
        self.items = {
            ACCOUNT: RateLimitItemPerSecond(limits.per_account, seconds, namespace="signin"),
            ADDRESS: RateLimitItemPerSecond(limits.per_address, seconds, namespace="signin"),
        }
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def wait_before_trying(self, keys: ThrottleKeys) -> timedelta | None:
        waits = []
        for scope, key in ((ACCOUNT, keys.account), (ADDRESS, keys.address)):
            item = self.items[scope]
            if not self.limiter.test(item, scope, key):
                reset = self.limiter.get_window_stats(item, scope, key).reset_time
                waits.append(timedelta(seconds=max(1.0, reset - time.time())))
        return max(waits, default=None)

    def record_failure(self, keys: ThrottleKeys) -> None:
        self.limiter.hit(self.items[ACCOUNT], ACCOUNT, keys.account)
        self.limiter.hit(self.items[ADDRESS], ADDRESS, keys.address)

    def record_success(self, keys: ThrottleKeys) -> None:
        self.limiter.clear(self.items[ACCOUNT], ACCOUNT, keys.account)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def configured_limits(app: Flask) -> Limits:
    config = app.config
    return Limits(
        window=config["SIGN_IN_WINDOW"],
        per_account=config["SIGN_IN_ACCOUNT_LIMIT"],
        per_address=config["SIGN_IN_ADDRESS_LIMIT"],
    )


def sign_in_throttle(session: Session) -> SignInThrottle:
    """Return the app's throttle: the shared store when one is configured, else the database."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    uri = app.config.get("RATELIMIT_STORAGE_URI")
    if not uri:
        return DatabaseThrottle(session, configured_limits(app))
    shared = app.extensions.get(_EXTENSION_KEY)
    if shared is None:
        shared = app.extensions[_EXTENSION_KEY] = SharedStoreThrottle(uri, configured_limits(app))
    return shared
