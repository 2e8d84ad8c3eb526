"""Queueing emails in the caller's transaction (no Flask here: the CLI goes through it too).

Each email is resolved to addresses, a case reference and a link target while the transaction
is open, kept in ``session.info`` and handed to the sender once the transaction commits (a
rolled-back action sends nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.models import Audit, Case, Role, SafeguardingConcern, User

OUTBOX = "notification_outbox"


@dataclass(frozen=True)
class Email:
    kind: str
    to: tuple[str, ...]
    subject: str
    case_reference: str
    endpoint: str  # the page the link opens
    arguments: tuple[tuple[str, int], ...]
    lead: str  # one line saying what happened, with no written text from the audit


# kind: (subject, lead, endpoint of the link, its argument)
KINDS = {
    "returned": (
        "Audit returned for changes",
        "Your audit has been returned to you for changes.",
        "audits.edit",
    ),
    "moderated": (
        "Audit moderated",
        "Your audit has been moderated. You can see the moderator's grades and respond.",
        "moderation.outcome",
    ),
    "closed": ("Audit closed", "Your audit has been closed.", "moderation.outcome"),
    "moderation_assigned": (
        "Audit to moderate",
        "An audit has been given to you to moderate.",
        "moderation.moderate",
    ),
    "concern_raised": (
        "Safeguarding concern raised",
        "A safeguarding concern has been raised about a child. Respond within one working day.",
        "follow_up.concern_list",
    ),
}


def queue_email(session: Session, kind: str, user_ids: list[int], audit_id: int) -> Email | None:
    """Queue an email about the audit to the active users named; return it (None: no one)."""
    subject, lead, endpoint = KINDS[kind]
    addresses = tuple(
        session.scalars(
            select(User.email).where(User.id.in_(user_ids), User.active.is_(True)).order_by(User.id)
        )
    )
    reference = session.scalar(
        select(Case.reference).join(Audit, Audit.case_id == Case.id).where(Audit.id == audit_id)
    )
    if not addresses or reference is None:
        return None
    arguments = () if endpoint == "follow_up.concern_list" else (("audit_id", audit_id),)
    email = Email(
        kind, addresses, f"{subject}: case {reference}", reference, endpoint, arguments, lead
    )
    session.info.setdefault(OUTBOX, []).append(email)
    return email


def concern_recipients(session: Session, concern: SafeguardingConcern) -> list[User]:
    """Return who is emailed about a concern: the managers of the case's team, or the QA leads
    and admins when the team has none. These are the managers its screen routes it to."""
    from qa_app.follow_up.queries import managers_of_team

    managers = managers_of_team(session, concern.team_id)
    if managers:
        return managers
    return list(
        session.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_([Role.QA_LEAD.value, Role.ADMIN.value]))
            .order_by(User.display_name)
        )
    )


def queue_concern_email(session: Session, concern: SafeguardingConcern) -> Email | None:
    """Queue the email telling the concern's recipients at once."""
    recipients = [user.id for user in concern_recipients(session, concern)]
    return queue_email(session, "concern_raised", recipients, concern.audit_id)


def on_audit_change(session: Session, audit_id: int, change: str) -> None:
    """Tell the auditor when their audit is returned, moderated or closed."""
    if change not in ("returned", "moderated", "closed"):
        return
    auditor_id = session.scalar(select(Audit.auditor_id).where(Audit.id == audit_id))
    if auditor_id is not None:
        queue_email(session, change, [auditor_id], audit_id)


def take_queued(session: Session) -> list[Email]:
    """Return and forget the emails queued in the session."""
    return session.info.pop(OUTBOX, [])
