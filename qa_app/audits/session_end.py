"""What happens to a save that arrives after the auditor's session has ended."""

from __future__ import annotations

from flask import request

from qa_app.audits.held_forms import hold_form
from qa_app.audits.page_flow import page_url
from qa_app.audits.routes_form import holdable_page
from qa_app.extensions import db


def keep_posted_answers() -> str | None:
    """Hold the answers of a refused audit page save; return the page's URL to come back to
    (carrying the held token), or None when the request carried no answers."""
    if request.method != "POST":
        return None
    found = holdable_page(request.endpoint, request.view_args or {})
    if found is None:
        return None
    audit_id, page = found
    token = hold_form(db.session, audit_id, page, request.form)
    if token is None:
        return None
    db.session.commit()
    return f"{page_url(audit_id, page)}?held={token}"


def is_background_save() -> bool:
    """Return True for the page script's autosave requests, which want JSON, not a page."""
    return request.endpoint == "audits.autosave"
