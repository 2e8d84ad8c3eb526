"""How large a request may be: small for ordinary form posts, larger for file uploads.

``MAX_CONTENT_LENGTH`` (4 MB by default) bounds every ordinary post, far above the largest audit
page (each box holds at most 10,000 characters) and far below what would tie up a worker.
Views that take a file are marked with :func:`accepts_uploads` and get
``UPLOAD_MAX_CONTENT_LENGTH`` (64 MB) instead. A body over the limit is refused before it is
read: pages get an error page, the audit page's autosave a JSON answer its script shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

View = TypeVar("View", bound=Callable)


def accepts_uploads(view: View) -> View:
    """Mark a view as taking file uploads (put it just below ``@bp.route``); returns the view."""
    view.accepts_uploads = True  # type: ignore[attr-defined]
    return view


def init_app(app: Flask) -> None:
    """Apply the limits to every request, before anything (CSRF checks included) reads a form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _apply_upload_limit)
    app.register_error_handler(RequestEntityTooLarge, _too_large)


def _apply_upload_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_uploads", False):
        request.max_content_length = current_app.config["UPLOAD_MAX_CONTENT_LENGTH"]


def _wants_json() -> bool:
    # The audit pages' autosave script asks for JSON; so may any script to come.
    return (
        request.endpoint == "audits.autosave" or request.accept_mimetypes.best == "application/json"
    )


def _too_large(error: RequestEntityTooLarge):
    if _wants_json():
        return {
            "status": "too_large",
            "message": "Not saved: this page holds more text than can be saved at once. "
            "Shorten your longest answers, then select Save draft.",
        }, 413
    return render_template("errors/413.html"), 413
