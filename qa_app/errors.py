"""Friendly error pages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from qa_app.auth.login import answer_refused_request
from qa_app.extensions import db


def init_app(app: Flask) -> None:
    """Register the 400, 403, 404 and 500 handlers."""

    @app.errorhandler(403)
    def forbidden(error: Exception):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error: Exception):
        return render_template("errors/404.html"), 404

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        # An ended session also ends its CSRF token: the area whose request it was may keep
        # what was being saved (audit answers, for example) or answer its script in JSON.
        response = answer_refused_request(session_ended=not current_user.is_authenticated)
        if response is not None:
            return response
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        return render_template("errors/500.html"), 500
