"""Changing people and teams: roles, teams, deactivation with reassignment, team merges.

Every change is written to the event log (ids and settings, never free text). The command line
and the pages call these; the caller commits. No Flask here.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qa_app.audit_changes import audit_changed
from qa_app.audits.operations import record_event
from qa_app.auth.sessions import end_all_sessions
from qa_app.base_model import utcnow
from qa_app.models import (
    REPORTED_STATUSES,
    Action,
    ActionStatus,
    Audit,
    AuditStatus,
    Case,
    Role,
    SafeguardingConcern,
    Team,
    User,
)

# Audits still with their auditor: reassigned when the auditor leaves.
OPEN_AUDIT_STATUSES = (
    AuditStatus.ASSIGNED.value,
    AuditStatus.DRAFT.value,
    AuditStatus.RETURNED.value,
)


class PeopleProblem(ValueError):
    """The change cannot be made; the message says why."""


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active.is_(True))
        )
        or 0
    )


def _guard_last_admin(session: Session, user: User, actor: User | None, change: str) -> None:
    if user.role != Role.ADMIN.value or not user.active:
        return
    if actor is not None and actor.id == user.id:
        raise PeopleProblem(f"You cannot {change} yourself: ask another administrator")
    if _active_admins(session) <= 1:
        raise PeopleProblem(f"You cannot {change} the last active administrator")


def set_role(session: Session, user: User, role: Role, actor: User | None) -> None:
    """Give the user another role (an admin cannot remove their own, nor the last, admin role)."""
    if user.role == role.value:
        return
    _guard_last_admin(session, user, actor, "remove the administrator role from")
    before, user.role = user.role, role.value
    end_all_sessions(session, user)  # a session keeps no powers of the old role
    record_event(
        session, "user_role_changed", actor, user_id=user.id, before=before, after=role.value
    )


def set_team(session: Session, user: User, team: Team | None, actor: User | None) -> None:
    """Move the user to another team (or none)."""
    if team is not None and team.retired_at is not None:
        raise PeopleProblem(f"{team.name} is retired: choose a current team")
    before = user.team_id
    user.team = team
    session.flush()
    record_event(
        session, "user_team_changed", actor, user_id=user.id, before=before, after=user.team_id
    )


def deactivate(
    session: Session, user: User, actor: User | None, reassign_to: User | None = None
) -> dict[str, int]:
    """Switch the user off: they cannot sign in and their sessions end at once. Their audits,
    actions and history stay; open audits and open actions move to ``reassign_to`` when given.
    Returns how many audits and actions were reassigned."""
    if not user.active:
        raise PeopleProblem(f"{user.display_name} is already deactivated")
    _guard_last_admin(session, user, actor, "deactivate")
    if reassign_to is not None and (reassign_to.id == user.id or not reassign_to.active):
        raise PeopleProblem("Choose an active person, other than the leaver, to take their work")
    moved = {"audits": 0, "actions": 0}
    if reassign_to is not None:
        moved = reassign_work(session, user, reassign_to)
    user.active = False
    end_all_sessions(session, user)
    record_event(
        session,
        "user_deactivated",
        actor,
        user_id=user.id,
        reassigned_to=reassign_to.id if reassign_to else None,
        audits_reassigned=moved["audits"],
        actions_reassigned=moved["actions"],
    )
    return moved


def reassign_work(session: Session, leaver: User, to: User) -> dict[str, int]:
    """Give the leaver's open audits and open actions to another person; return the counts."""
    audits = session.execute(
        update(Audit)
        .where(Audit.auditor_id == leaver.id, Audit.status.in_(OPEN_AUDIT_STATUSES))
        .values(auditor_id=to.id, lock_version=Audit.lock_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    actions = session.execute(
        update(Action)
        .where(Action.owner_user_id == leaver.id, Action.status == ActionStatus.OPEN.value)
        .values(owner_user_id=to.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return {"audits": audits.rowcount or 0, "actions": actions.rowcount or 0}


def reactivate(session: Session, user: User, actor: User | None) -> None:
    """Let a deactivated user sign in again."""
    if user.active:
        raise PeopleProblem(f"{user.display_name} is already active")
    user.active = True
    record_event(session, "user_reactivated", actor, user_id=user.id)


def add_team(session: Session, name: str, actor: User | None) -> Team:
    """Return a new team, refusing a name already used."""
    name = " ".join(name.split())
    if not name:
        raise PeopleProblem("Enter the team's name")
    if session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
        raise PeopleProblem(f"There is already a team called {name}")
    team = Team(name=name)
    session.add(team)
    session.flush()
    record_event(session, "team_added", actor, team_id=team.id)
    return team


def rename_team(session: Session, team: Team, name: str, actor: User | None) -> None:
    """Give the team a new name, refusing one another team uses."""
    name = " ".join(name.split())
    if not name:
        raise PeopleProblem("Enter the team's new name")
    taken = session.scalar(
        select(Team.id).where(func.lower(Team.name) == name.lower(), Team.id != team.id)
    )
    if taken:
        raise PeopleProblem(f"There is already a team called {name}")
    team.name = name
    record_event(session, "team_renamed", actor, team_id=team.id)


def merge_teams(session: Session, source: Team, target: Team, actor: User | None) -> dict[str, int]:
    """Move the source team's cases (and so their audits), people and concerns into the target
    and retire the source. Reported figures by team follow. Returns the counts moved."""
    if source.id == target.id:
        raise PeopleProblem("Choose two different teams to merge")
    if target.retired_at is not None:
        raise PeopleProblem(f"{target.name} is retired: merge into a current team")
    reported = list(
        session.scalars(
            select(Audit.id)
            .join(Case, Case.id == Audit.case_id)
            .where(Case.team_id == source.id, Audit.status.in_(REPORTED_STATUSES))
        )
    )
    counts = {
        "cases": session.execute(
            update(Case).where(Case.team_id == source.id).values(team_id=target.id)
        ).rowcount
        or 0,
        "people": session.execute(
            update(User).where(User.team_id == source.id).values(team_id=target.id)
        ).rowcount
        or 0,
        "concerns": session.execute(
            update(SafeguardingConcern)
            .where(SafeguardingConcern.team_id == source.id)
            .values(team_id=target.id)
        ).rowcount
        or 0,
    }
    source.retired_at = utcnow()
    session.flush()
    session.expire_all()  # the bulk updates bypassed loaded objects
    for audit_id in reported:
        audit_changed(session, audit_id, "team_merged")
    record_event(
        session, "teams_merged", actor, source_team_id=source.id, target_team_id=target.id, **counts
    )
    return counts


def retire_team(
    session: Session, team: Team, actor: User | None, people_to: Team | None = None
) -> dict[str, int]:
    """Retire the team: it takes no new cases or people from now on. Its cases and audits stay
    in it, so the figures by team do not change (merge it instead to move them); its people move
    to ``people_to``, or to no team. Returns how many people moved."""
    if team.retired_at is not None:
        raise PeopleProblem(f"{team.name} is already retired")
    if people_to is not None and (people_to.id == team.id or people_to.retired_at is not None):
        raise PeopleProblem("Choose a current team, other than this one, for its people")
    if people_to is None and session.scalar(
        select(func.count(User.id)).where(User.team_id == team.id, User.role == Role.MANAGER.value)
    ):
        # A manager without a team sees every team's audits: leaving them teamless widens access.
        raise PeopleProblem(
            f"{team.name} has managers: choose the team they join, as a manager with no team "
            "sees every team's audits"
        )
    moved = (
        session.execute(
            update(User)
            .where(User.team_id == team.id)
            .values(team_id=people_to.id if people_to else None, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    team.retired_at = utcnow()
    session.flush()
    session.expire_all()  # the bulk update bypassed loaded people
    record_event(
        session,
        "team_retired",
        actor,
        team_id=team.id,
        people_to_team_id=people_to.id if people_to else None,
        people_moved=moved,
    )
    return {"people": moved}
