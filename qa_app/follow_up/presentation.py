"""How actions and concerns read on the page: dates, times in England, owners and labels."""

from __future__ import annotations

from qa_app.display import format_date, format_moment
from qa_app.follow_up.forms import PRIORITY_LABELS, SCOPE_LABELS, STATUS_LABELS
from qa_app.models import Action

PRIORITY_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--yellow", "low": "govuk-tag--grey"}


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
