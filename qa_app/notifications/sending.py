"""Sending queued emails through Flask-Mailman once the transaction that queued them commits.

Settings (``instance/config.py`` or the environment): ``MAIL_BACKEND`` (``file`` by default:
each email written to ``instance/mail/``; ``smtp`` for a mail server, ``console``, ``locmem``),
``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USERNAME``, ``MAIL_PASSWORD``, ``MAIL_USE_TLS``,
``MAIL_DEFAULT_SENDER`` and ``APP_BASE_URL`` (the address links in emails start with).
"""

from __future__ import annotations

import os

from flask import Flask, current_app, has_app_context, has_request_context, url_for
from flask_mailman import EmailMessage, Mail
from sqlalchemy import event
from sqlalchemy.orm import Session

from qa_app.audit_changes import on_audit_changed
from qa_app.notifications.outbox import OUTBOX, Email, on_audit_change, take_queued

mail = Mail()

ENVIRONMENT_SETTINGS = (
    "MAIL_BACKEND",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_DEFAULT_SENDER",
    "APP_BASE_URL",
)


def init_app(app: Flask) -> None:
    """Set the development defaults, read mail settings from the environment, hook commits."""
    app.config.setdefault("MAIL_BACKEND", "file")
    app.config.setdefault("MAIL_FILE_PATH", os.path.join(app.instance_path, "mail"))
    app.config.setdefault("MAIL_DEFAULT_SENDER", "case-audit@localhost")
    app.config.setdefault("APP_BASE_URL", "http://127.0.0.1:5000")
    for name in ENVIRONMENT_SETTINGS:
        if os.environ.get(name) and app.config.get("TESTING") is not True:
            value = os.environ[name]
            app.config[name] = (
                int(value)
                if name == "MAIL_PORT"
                else (value.lower() in ("1", "true", "yes") if name == "MAIL_USE_TLS" else value)
            )
    if app.config["MAIL_BACKEND"] == "file":
        os.makedirs(app.config["MAIL_FILE_PATH"], exist_ok=True)
    mail.init_app(app)
    on_audit_changed("notifications", on_audit_change)
    if not event.contains(Session, "after_commit", _send_after_commit):
        event.listen(Session, "after_commit", _send_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(OUTBOX, None)


def _send_after_commit(session: Session) -> None:
    emails = take_queued(session)
    if emails and has_app_context():
        send_emails(emails)


def send_emails(emails: list[Email]) -> int:
    """Send the emails; return how many were sent. Failures are logged, never raised."""
    sent = 0
    for email in emails:
        try:
            message = EmailMessage(
                subject=email.subject,
                body=_body(email),
                from_email=current_app.config["MAIL_DEFAULT_SENDER"],
                to=list(email.to),
            )
            sent += message.send()
        except Exception:  # a mail server down must never undo the action that caused it
            current_app.logger.exception(
                "Could not send the %s email about case %s", email.kind, email.case_reference
            )
    return sent


def _body(email: Email) -> str:
    return (
        f"{email.lead}\n\n"
        f"Case reference: {email.case_reference}\n\n"
        f"Open it here: {link(email)}\n\n"
        "This email holds no details of the child: sign in to read them.\n"
    )


def link(email: Email) -> str:
    """Return the full address of the page the email points to."""
    arguments = dict(email.arguments)
    if has_request_context():
        return url_for(email.endpoint, _external=True, **arguments)
    base = current_app.config["APP_BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(email.endpoint, _external=True, **arguments)
