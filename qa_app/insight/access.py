"""Who reads dashboards, which teams they see, and when small numbers are hidden."""

from __future__ import annotations

from qa_app.models import MANAGING_ROLES, Role, User

# Managers (their team's figures, or every team's without one), QA leads, admins and leaders.
INSIGHT_ROLES = (*MANAGING_ROLES, Role.LEADER)


def scope_team_ids(user: User) -> tuple[int, ...] | None:
    """Return the teams whose figures the user may see (None: every team).

    Leaders read the whole service's figures, de-identified and with small numbers suppressed.
    """
    if user.has_role(Role.LEADER) or user.sees_all_teams:
        return None
    return (user.team_id,) if user.team_id is not None else ()


def suppression_for(user: User, threshold: int, *, deidentified: bool = False) -> int:
    """Return the number of audits below which figures are hidden for this view (0: none)."""
    return threshold if deidentified or user.has_role(Role.LEADER) else 0
