"""Sign-in plumbing: the user loader, the role check every view uses, and what happens to a
request that arrives signed out (other areas register handlers for their own requests)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select

from qa_app.auth.sessions import session_is_current
from qa_app.base_model import utcnow
from qa_app.extensions import db, login_manager
from qa_app.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])
# A handler is given ``session_ended`` (True when nobody is signed in, False when only the CSRF
# token was stale) and returns a response for the refused request, or None to pass it on.
RefusedRequestHandler = Callable[[bool], Any]
_HANDLERS_KEY = "qa_refused_request_handlers"


def init_login(app: Flask) -> None:
    """Set up Flask-Login: where to send signed-out users and how to load a user."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.extensions.setdefault(_HANDLERS_KEY, [])


def add_refused_request_handler(app: Flask, handler: RefusedRequestHandler) -> None:
    """Let an area answer its own requests that arrive signed out or with a stale CSRF token
    (the audits area keeps the answers being saved, for example)."""
    app.extensions.setdefault(_HANDLERS_KEY, []).append(handler)


def answer_refused_request(session_ended: bool) -> Any | None:
    """Return the first registered handler's response for this refused request, or None."""
    for handler in current_app.extensions.get(_HANDLERS_KEY, []):
        response = handler(session_ended)
        if response is not None:
            return response
    return None


@login_manager.unauthorized_handler
def signed_out() -> Any:
    """Send a signed-out user to sign in (an area may answer its own requests first)."""
    response = answer_refused_request(session_ended=True)
    if response is not None:
        return response
    flash(login_manager.login_message, "info")
    back_to = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=back_to) if back_to else url_for("auth.sign_in"))


# Built once: run on every request, a statement built per call (or ``session.get``) spent a
# third of its time working out its cache key.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the session's user while the session is current: the user is active, and the
    session was begun at their current session epoch and within the absolute lifetime."""
    user = (
        db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).scalar_one_or_none()
        if user_id.isdigit()
        else None
    )
    if user is None or not user.active:
        return None
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if not session_is_current(session, user, utcnow(), lifetime):
        # Ended elsewhere (sign-out, password change, deactivation) or simply too old.
        session.clear()
        return None
    return user


def role_required(*roles: Role) -> Callable[[F], F]:
    """Return a decorator that requires a signed-in user holding one of the roles (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
