"""Sign-in plumbing: the user loader and the role check every view uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from qa_app.extensions import db, login_manager
from qa_app.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])


def init_login(app: Flask) -> None:
    """Set up Flask-Login: where to send signed-out users and how to load a user."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


@login_manager.unauthorized_handler
def signed_out() -> Any:
    """Send a signed-out user to sign in, keeping any audit answers they were saving."""
    from qa_app.audits.session_end import is_background_save, keep_posted_answers

    if is_background_save():
        return jsonify(status="signed_out"), 401
    back_to = keep_posted_answers()
    if back_to:
        flash("Your session ended. Sign in again: what you typed has been kept.", "info")
    else:
        flash(login_manager.login_message, "info")
        back_to = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=back_to) if back_to else url_for("auth.sign_in"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


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
