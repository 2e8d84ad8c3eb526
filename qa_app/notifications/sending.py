"""Sending queued emails through Flask-Mailman once the transaction that queued them commits.

Settings (``instance/config.py`` or the environment): ``MAIL_BACKEND`` (``file`` by default:
each email written to ``instance/mail/``; ``smtp`` for a mail server, ``console``, ``locmem``),
``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USERNAME``, ``MAIL_PASSWORD``, ``MAIL_USE_TLS``,
``MAIL_DEFAULT_SENDER`` and ``APP_BASE_URL`` (the address links in emails start with).

An email the mail server refuses is sent again by a background task through the job runner:
``EMAIL_RETRIES`` more times (3 by default), the n-th after n times ``EMAIL_RETRY_SECONDS``
(300 by default), then given up with an error in the log.
"""

from __future__ import annotations

import os

from flask import Flask, current_app, has_app_context, has_request_context, url_for
from flask_mailman import EmailMessage, Mail
from sqlalchemy import event
from sqlalchemy.orm import Session

from qa_app.audit_changes import on_audit_changed
from qa_app.jobs import enqueue_task
from qa_app.jobs.registry import register_task
from qa_app.notifications.outbox import OUTBOX, Email, on_audit_change, take_queued

mail = Mail()
RESEND_TASK = "resend_email"

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
    app.config.setdefault("EMAIL_RETRIES", 3)
    app.config.setdefault("EMAIL_RETRY_SECONDS", 300)
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
    register_task(RESEND_TASK, resend_email)
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
    """Send the emails; return how many were sent. A failure is logged and the email queued to
    be sent again later, never raised."""
    sent = 0
    for email in emails:
        if _send(email):
            sent += 1
        else:
            _send_later(email, attempt=1)
    return sent


def resend_email(email: Email, attempt: int) -> None:
    """Send again an email the mail server refused (the background task); the attempt counts
    from 1 for the first retry."""
    if _send(email):
        current_app.logger.info(
            "Sent the %s email about case %s on retry %d", email.kind, email.case_reference, attempt
        )
    else:
        _send_later(email, attempt + 1)


def _send(email: Email) -> bool:
    try:
        message = EmailMessage(
            subject=email.subject,
            body=_body(email),
            from_email=current_app.config["MAIL_DEFAULT_SENDER"],
            to=list(email.to),
        )
        return bool(message.send())
    except Exception:  # a mail server down must never undo the action that caused it
        current_app.logger.exception(
            "Could not send the %s email about case %s", email.kind, email.case_reference
        )
        return False


def _send_later(email: Email, attempt: int) -> None:
    if attempt > current_app.config["EMAIL_RETRIES"]:
        current_app.logger.error(
            "Gave up sending the %s email about case %s after %d retries",
            email.kind,
            email.case_reference,
            attempt - 1,
        )
        return
    try:
        enqueue_task(
            RESEND_TASK,
            email,
            attempt,
            delay=attempt * current_app.config["EMAIL_RETRY_SECONDS"],
        )
    except Exception:  # the queue down too: the log is all that is left
        current_app.logger.exception(
            "Could not queue the %s email about case %s to be sent again",
            email.kind,
            email.case_reference,
        )


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
