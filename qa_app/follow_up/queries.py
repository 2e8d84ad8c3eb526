"""Read-only questions about actions and safeguarding concerns, each one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from qa_app.audits.queries import visible_audits
from qa_app.models import (
    ALL_TEAM_ROLES,
    MANAGING_ROLES,
    Action,
    ActionStatus,
    Audit,
    Case,
    Role,
    SafeguardingConcern,
    User,
)

RECENTLY_ACKNOWLEDGED = 20


@dataclass(frozen=True)
class ActionRow:
    action: Action
    overdue: bool


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int
    done: int

    @property
    def all(self) -> int:
        return self.open + self.done


@dataclass(frozen=True)
class ConcernRow:
    concern: SafeguardingConcern
    overdue: bool


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(Action.status == ActionStatus.OPEN.value, Action.due_date < today)


def actions_of_audit(session: Session, audit_id: int, today: date) -> list[ActionRow]:
    """Return the audit's actions, open ones first, each by due date, with whether it is overdue."""
    query = (
        select(Action, _overdue(today).label("overdue"))
        .where(Action.audit_id == audit_id)
        .options(joinedload(Action.owner_user))
        .order_by(
            case((Action.status == ActionStatus.OPEN.value, 0), else_=1),
            Action.due_date,
            Action.id,
        )
    )
    return [ActionRow(action, bool(overdue)) for action, overdue in session.execute(query)]


def get_action(session: Session, audit_id: int, action_id: int) -> Action | None:
    """Return the action when it belongs to the audit."""
    return session.scalar(select(Action).where(Action.id == action_id, Action.audit_id == audit_id))


def _visible_action_filter(user: User, scope: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not (user.has_role(*MANAGING_ROLES) and user.sees_all_teams):
        # Someone who sees every audit sees every action: no join with every audit id.
        conditions.append(Action.audit_id.in_(visible_audits(user).with_only_columns(Audit.id)))
    if scope:
        conditions.append(Action.scope == scope)
    return conditions


def count_actions(session: Session, user: User, today: date, scope: str | None) -> ActionCounts:
    """Return how many actions the user may see are open, overdue and done (one query)."""
    is_open = Action.status == ActionStatus.OPEN.value
    query = select(
        func.count(case((is_open, 1))),
        func.count(case((_overdue(today), 1))),
        func.count(case((Action.status == ActionStatus.DONE.value, 1))),
    ).where(*_visible_action_filter(user, scope))
    open_count, overdue_count, done_count = session.execute(query).one()
    return ActionCounts(open_count or 0, overdue_count or 0, done_count or 0)


def list_actions(
    session: Session,
    user: User,
    today: date,
    *,
    status: str | None,
    scope: str | None,
    limit: int,
    offset: int,
    total: int | None = None,
) -> list[ActionRow]:
    """Return a page of the actions the user may see: open before done, overdue first, then by
    due date, with each action's audit, case and team loaded.

    Open actions in due date order put the overdue ones first (every action has a due date),
    so the order is (open before done, due date, id), read from the actions table alone: the
    page's ids are found by sorting three narrow keys, then only those fifty actions are loaded
    with their audit, case, team and owner (sorting the wide joined rows cost 100-200 ms at
    6,000 actions). Given the total, a page past the middle is read from the other end in the
    opposite order and turned round (every key ends with the id, so the orders mirror): no
    OFFSET exceeds half the list, and the last page costs what the first does.
    """
    reverse = total is not None and offset + limit / 2 > total / 2
    if reverse:
        limit, offset = max(min(limit, total - offset), 0), max(total - offset - limit, 0)
    conditions = _visible_action_filter(user, scope)
    if status:
        conditions.append(Action.status == status)
    keys = [
        case((Action.status == ActionStatus.OPEN.value, 0), else_=1),
        Action.due_date,
        Action.id,
    ]
    ids = list(
        session.scalars(
            select(Action.id)
            .where(*conditions)
            .order_by(*[key.desc() if reverse else key for key in keys])
            .limit(limit)
            .offset(offset)
        )
    )
    if reverse:
        ids.reverse()
    if not ids:
        return []
    query = (
        select(Action, _overdue(today).label("overdue"))
        .where(Action.id.in_(ids))
        .options(
            joinedload(Action.owner_user),
            joinedload(Action.audit).joinedload(Audit.case).joinedload(Case.team),
        )
    )
    found = {action.id: ActionRow(action, bool(late)) for action, late in session.execute(query)}
    return [found[action_id] for action_id in ids if action_id in found]


def active_users(session: Session) -> list[User]:
    """Return the active users, by name, to choose an action's owner from."""
    return list(
        session.scalars(
            select(User)
            .where(User.active.is_(True))
            .options(joinedload(User.team))
            .order_by(User.display_name, User.id)
        )
    )


def _routed_to(user: User) -> ColumnElement[bool]:
    """The concerns routed to the user: their team's, or all for admins and managers without a
    team."""
    if not user.has_role(*MANAGING_ROLES):
        return false()  # nobody else answers concerns
    if not user.sees_all_teams:
        return SafeguardingConcern.team_id == user.team_id
    return true()


def count_open_concerns(session: Session, user: User) -> int:
    """Return how many concerns routed to the user still need a response (one COUNT query)."""
    query = select(func.count(SafeguardingConcern.id)).where(
        SafeguardingConcern.acknowledged_at.is_(None), _routed_to(user)
    )
    return session.scalar(query) or 0


def _with_details(query):
    return query.options(
        joinedload(SafeguardingConcern.case),
        joinedload(SafeguardingConcern.team),
        joinedload(SafeguardingConcern.raised_by),
        joinedload(SafeguardingConcern.acknowledged_by),
    )


def open_concerns(session: Session, user: User, now: datetime) -> list[ConcernRow]:
    """Return the concerns routed to the user that need a response, oldest first, with whether
    each is past its respond-by time."""
    overdue = SafeguardingConcern.respond_by < now
    query = _with_details(
        select(SafeguardingConcern, overdue.label("overdue"))
        .where(SafeguardingConcern.acknowledged_at.is_(None), _routed_to(user))
        .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
    )
    return [ConcernRow(concern, bool(late)) for concern, late in session.execute(query)]


def recently_acknowledged_concerns(
    session: Session, user: User, limit: int = RECENTLY_ACKNOWLEDGED
) -> list[SafeguardingConcern]:
    """Return the concerns routed to the user that were acknowledged most recently."""
    query = _with_details(
        select(SafeguardingConcern)
        .where(SafeguardingConcern.acknowledged_at.is_not(None), _routed_to(user))
        .order_by(SafeguardingConcern.acknowledged_at.desc(), SafeguardingConcern.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def get_concern(session: Session, user: User, concern_id: int) -> SafeguardingConcern | None:
    """Return the concern when it exists and is routed to the user."""
    query = _with_details(
        select(SafeguardingConcern).where(SafeguardingConcern.id == concern_id, _routed_to(user))
    )
    return session.scalar(query)


def concerns_of_audit(session: Session, user: User, audit_id: int) -> list[SafeguardingConcern]:
    """Return the audit's concerns the user may read, oldest first: those they raised, and those
    routed to them as a manager, QA lead or admin."""
    query = _with_details(
        select(SafeguardingConcern)
        .where(
            SafeguardingConcern.audit_id == audit_id,
            or_(SafeguardingConcern.raised_by_id == user.id, _routed_to(user)),
        )
        .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
    )
    return list(session.scalars(query))


def concern_responders_for_every_team(session: Session) -> list[User]:
    """Return the active users a concern reaches whatever its team (QA leads, admins and managers
    without a team), by name: who answers when a team has no manager in the service."""
    query = (
        select(User)
        .where(
            User.active.is_(True),
            or_(
                User.role.in_([role.value for role in ALL_TEAM_ROLES]),
                and_(User.role == Role.MANAGER.value, User.team_id.is_(None)),
            ),
        )
        .order_by(User.display_name)
    )
    return list(session.scalars(query))


def managers_of_team(session: Session, team_id: int) -> list[User]:
    """Return the active managers of the team, by name."""
    query = (
        select(User)
        .where(User.active.is_(True), User.role == Role.MANAGER.value, User.team_id == team_id)
        .order_by(User.display_name)
    )
    return list(session.scalars(query))
