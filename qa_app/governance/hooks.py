"""What governance hooks into every request and sign-in."""

from __future__ import annotations

from flask import Flask, Response, g, redirect, request, url_for
from flask_login import current_user, user_logged_in
from sqlalchemy import insert

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.governance.access_log import init_access_log
from qa_app.governance.export_files import expire_export_files
from qa_app.governance.retention import on_expiry_purge
from qa_app.governance.retention_policy import DEFAULT_SETTINGS
from qa_app.models import SignIn


def _note_sign_in(app: Flask, user) -> None:
    # Written after the response is made, so signing in changes nothing in the session's state.
    g.governance_signed_in = user.id


def _record_sign_in(response: Response) -> Response:
    user_id = g.pop("governance_signed_in", None)
    if user_id is not None and response.status_code < 400:
        db.session.execute(insert(SignIn).values(user_id=user_id, at=utcnow()))
        db.session.commit()
    return response


# Where someone with a one-time password may still go before choosing their own.
PASSWORD_CHANGE_ENDPOINTS = {"governance.account", "auth.sign_out", "static", "pages.health"}


def _require_own_password():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS
    ):
        return redirect(url_for("governance.account"))
    return None


def init_governance(app: Flask) -> None:
    """Record views in the access log and sign-ins in their own table."""
    for name, default in DEFAULT_SETTINGS.items():
        app.config.setdefault(name, default)
    init_access_log(app)
    on_expiry_purge("export_files_deleted", expire_export_files)
    user_logged_in.connect(_note_sign_in, app)
    app.after_request(_record_sign_in)
    app.before_request(_require_own_password)
