"""Signing in and out."""

from __future__ import annotations

import logging
from functools import cache
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from qa_app.auth.form_owner import clear_owner_cookie, set_owner_cookie
from qa_app.auth.forms import SignInForm
from qa_app.auth.sessions import end_all_sessions, session_marks
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.models import AuditEvent, User, people
from qa_app.security.throttling import (
    minutes_to_wait,
    sign_in_throttle,
    throttle_keys,
)

bp = Blueprint("auth", __name__, template_folder="templates")
log = logging.getLogger(__name__)
WRONG_DETAILS = "Enter a correct email address and password"


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = _try_sign_in(email, form.password.data, form)
        if user is not None:
            session.clear()  # nothing from before sign-in carries over
            session.permanent = True  # so the idle timeout applies
            login_user(user)
            session.update(session_marks(user, utcnow()))
            response = make_response(redirect(_safe_next(request.args.get("next"))))
            set_owner_cookie(response, user.id)
            return response
    return render_template("auth/sign_in.html", form=form)


def _try_sign_in(email: str, password: str, form: SignInForm) -> User | None:
    """Return the user when the email and password are right and the attempt is not throttled;
    otherwise add the error to the form. Either way the attempt costs one password hash check,
    so the time taken does not tell whether the email exists."""
    keys = throttle_keys(email, request.remote_addr, current_app.secret_key)
    throttle = sign_in_throttle(db.session)
    wait = throttle.wait_before_trying(keys)
    if wait is not None:
        minutes = minutes_to_wait(wait)
        log.warning("Sign-in refused while throttled (address %s)", request.remote_addr)
        form.email.errors.append(
            "There have been too many attempts to sign in. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}"
        )
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None:
        right = user.check_password(password)
    else:
        right = check_password_hash(_stand_in_hash(people.PASSWORD_HASH_METHOD), password)
    if user is not None and right and user.active:
        throttle.record_success(keys)
        db.session.commit()
        return user
    throttle.record_failure(keys)
    if throttle.wait_before_trying(keys) is not None:
        # This failure started a lock-out: record it once, not for every refused attempt.
        db.session.add(
            AuditEvent(
                action="sign_in_throttled",
                details={"user_id": user.id if user is not None else None},
            )
        )
        log.warning("Sign-in throttled after repeated failures (address %s)", request.remote_addr)
    db.session.commit()
    # One message for every failure, so the page does not reveal which emails exist.
    form.email.errors.append(WRONG_DETAILS)
    return None


@cache
def _stand_in_hash(method: str) -> str:
    """A hash to check unknown emails against, made the same way as real ones."""
    return generate_password_hash("no account has this password", method=method)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    end_all_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    response = make_response(redirect(url_for("auth.sign_in")))
    clear_owner_cookie(response)
    return response


def _safe_next(target: str | None) -> str:
    """Return a same-site path to continue to after sign-in, or the home page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("pages.home")
