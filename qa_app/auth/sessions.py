"""Sessions that end on the server, not only in the browser.

A signed-in session carries the user's session epoch as it was at sign-in, and when it began.
Every request compares them with the user's current epoch and the absolute lifetime: ending all
of a user's sessions is one increment of the epoch, so a session cookie copied before sign-out,
a password change, deactivation or "sign out everywhere" opens nothing afterwards.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from qa_app.models import User

EPOCH_KEY = "_epoch"
SIGNED_IN_AT_KEY = "_signed_in_at"


def end_all_sessions(session: Session, user: User) -> None:
    """End every existing session of the user (the caller commits).

    The increment is done in SQL so that two changes at once (say, a sign-out in one worker and
    a deactivation in another) both count.
    """
    session.execute(
        update(User).where(User.id == user.id).values(session_epoch=User.session_epoch + 1)
    )
    session.refresh(user, ["session_epoch"])


def session_marks(user: User, now: datetime) -> dict[str, object]:
    """Return what a new session records about itself: the user's epoch and the sign-in time."""
    return {EPOCH_KEY: user.session_epoch, SIGNED_IN_AT_KEY: now.timestamp()}


def session_is_current(
    marks: dict[str, object], user: User, now: datetime, absolute_lifetime: timedelta
) -> bool:
    """Return True when a session with these marks may still act for the user: it was begun
    at the user's current epoch and less than ``absolute_lifetime`` ago."""
    epoch = marks.get(EPOCH_KEY)
    signed_in_at = marks.get(SIGNED_IN_AT_KEY)
    if not isinstance(epoch, int) or not isinstance(signed_in_at, (int, float)):
        return False
    if epoch != user.session_epoch:
        return False
    return now.timestamp() - signed_in_at < absolute_lifetime.total_seconds()
