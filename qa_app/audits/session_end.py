"""What happens to an audit save that arrives after the session ended or with a stale token.

Registered with the sign-in plumbing when the audits blueprint is registered, so ``auth`` needs
to know nothing about audits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from qa_app.audits.held_forms import hold_form
from qa_app.audits.page_flow import page_url
from qa_app.audits.routes import bp
from qa_app.audits.routes_form import holdable_page
from qa_app.auth.form_owner import proven_owner_id
from qa_app.auth.login import add_refused_request_handler
from qa_app.extensions import db

KEPT_MESSAGE = "Your session ended. Sign in again: what you typed has been kept."


def answer_refused_save(session_ended: bool) -> Any | None:
    """Answer a refused autosave in JSON, and hold a refused page save for its owner; return
    None for any other request."""
    if request.endpoint == "audits.autosave":
        if not session_ended and current_user.is_authenticated:
            # Still signed in, only the page's token is stale: give the page a fresh one.
            return jsonify(status="stale_token", csrf_token=generate_csrf()), 403
        return jsonify(status="signed_out"), 401
    back_to = keep_posted_answers()
    if back_to is None:
        return None
    if current_user.is_authenticated:
        return redirect(back_to)
    flash(KEPT_MESSAGE, "info")
    return redirect(url_for("auth.sign_in", next=back_to))


def keep_posted_answers() -> str | None:
    """Hold the answers of a refused audit page save for the user who provably posted them;
    return the page's URL to come back to (carrying the held token), or None.

    The poster is the signed-in user, or, once the session has ended, the user named by the
    owner cookie whose CSRF secret made the posted token. Anyone else's post holds nothing, and
    gets the same answer whether or not the audit exists.
    """
    if request.method != "POST":
        return None
    found = holdable_page(request.endpoint, request.view_args or {})
    if found is None:
        return None
    owner_id = current_user.id if current_user.is_authenticated else proven_owner_id()
    if owner_id is None:
        return None
    audit_id, page = found
    # Held forms are kept as long as the retention settings say (RETENTION_HELD_FORM_DAYS).
    keep_for = timedelta(days=current_app.config["RETENTION_HELD_FORM_DAYS"])
    token = hold_form(db.session, audit_id, page, owner_id, request.form, keep_for=keep_for)
    if token is None:
        return None
    db.session.commit()
    return f"{page_url(audit_id, page)}?held={token}"


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    add_refused_request_handler(state.app, answer_refused_save)
