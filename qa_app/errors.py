"""Friendly error pages."""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

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
        # An ended session also ends its CSRF token: keep any audit answers being saved.
        from qa_app.audits.session_end import is_background_save, keep_posted_answers

        if is_background_save():
            return {"status": "signed_out"}, 401
        back_to = keep_posted_answers()
        if back_to:
            if current_user.is_authenticated:
                return redirect(back_to)
            flash("Your session ended. Sign in again: what you typed has been kept.", "info")
            return redirect(url_for("auth.sign_in", next=back_to))
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        return render_template("errors/500.html"), 500
