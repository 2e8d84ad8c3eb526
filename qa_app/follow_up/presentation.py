"""How actions and concerns read on the page: dates, times in England, owners and labels."""

from __future__ import annotations

from datetime import date, datetime

from qa_app.follow_up.forms import PRIORITY_LABELS, SCOPE_LABELS, STATUS_LABELS
from qa_app.follow_up.working_days import ENGLAND, as_utc
from qa_app.models import Action

PRIORITY_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--yellow", "low": "govuk-tag--grey"}


def format_date(day: date | None) -> str:
    """Return a date as people read it, e.g. "3 March 2026"."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


def format_moment(moment: datetime | None) -> str:
    """Return a moment as read on a clock in England, e.g. "Tuesday 3 March 2026 at 2:05pm"."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(ENGLAND)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{local:%A} {local.day} {local:%B %Y} at {hour}:{local:%M}{suffix}"


def owner_text(action: Action) -> str:
    """Return who owns the action: the person's name, or the role when no person is named."""
    if action.owner_user is not None:
        return action.owner_user.display_name
    return f"{action.owner_role} (role)" if action.owner_role else "No owner"


def template_helpers() -> dict[str, object]:
    """Return the helpers the follow-up pages use."""
    return {
        "format_date": format_date,
        "format_moment": format_moment,
        "owner_text": owner_text,
        "priority_labels": PRIORITY_LABELS,
        "priority_tags": PRIORITY_TAGS,
        "scope_labels": SCOPE_LABELS,
        "status_labels": STATUS_LABELS,
    }
