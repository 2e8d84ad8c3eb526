"""Proof of who posted a form after their session ended.

At sign-in the browser gets a signed, HttpOnly, SameSite=Lax cookie naming the user and the
session's CSRF secret. A save that arrives once the session has ended is only held for that user
when it carries both this cookie and a CSRF token made from the same secret: a stranger's post
(no cookie, or no matching token) and a post from another site (the browser does not send a Lax
cookie on a cross-site POST) prove nothing and are refused.
"""

from __future__ import annotations

import hmac

from flask import Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer

OWNER_COOKIE = "qa_form_owner"
_OWNER_SALT = "held-form-owner"
# Flask-WTF signs each page's CSRF token from the session's secret with this salt.
_CSRF_SALT = "wtf-csrf-token"
_CSRF_FIELD = "csrf_token"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    return URLSafeTimedSerializer(secret, salt=salt)


def _lifetime_seconds() -> int:
    """The cookie outlives the session by the idle limit, so a save just after the absolute
    lifetime ends is still kept."""
    config = current_app.config
    lifetime = config["SESSION_ABSOLUTE_LIFETIME"] + config["PERMANENT_SESSION_LIFETIME"]
    return int(lifetime.total_seconds())


def set_owner_cookie(response: Response, user_id: int) -> None:
    """Name the signed-in user and the session's CSRF secret in the owner cookie."""
    g.pop(_CSRF_FIELD, None)  # a token made before sign-in belongs to the old session
    generate_csrf()
    value = _serializer(_OWNER_SALT).dumps({"user": user_id, "csrf": session[_CSRF_FIELD]})
    config = current_app.config
    response.set_cookie(
        OWNER_COOKIE,
        value,
        max_age=_lifetime_seconds(),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/",
    )


def clear_owner_cookie(response: Response) -> None:
    """Forget the owner (on sign-out nothing more should be held for this browser)."""
    response.delete_cookie(OWNER_COOKIE, path="/")


def proven_owner_id() -> int | None:
    """Return the id of the user who provably posted this request from their own page, or None.

    Proof is the owner cookie (signed, unexpired) together with the posted CSRF token, which
    must have been made from the secret the cookie names.
    """
    cookie = request.cookies.get(OWNER_COOKIE)
    posted = request.form.get(_CSRF_FIELD) or request.headers.get("X-CSRFToken")
    if not cookie or not posted:
        return None
    try:
        owner = _serializer(_OWNER_SALT).loads(cookie, max_age=_lifetime_seconds())
        secret = _serializer(_CSRF_SALT).loads(posted)
    except BadData:
        return None
    if not isinstance(owner, dict) or not isinstance(secret, str):
        return None
    user_id, expected = owner.get("user"), owner.get("csrf")
    if not isinstance(user_id, int) or not isinstance(expected, str):
        return None
    return user_id if hmac.compare_digest(secret, expected) else None
