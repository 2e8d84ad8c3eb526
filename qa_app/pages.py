"""The home page, the health check and the navigation shown to each role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import text

from qa_app.auth.login import role_required
from qa_app.display import format_date, format_moment
from qa_app.extensions import db
from qa_app.models import MANAGING_ROLES, Audit, Role
from qa_app.pagination import page_numbers

bp = Blueprint("pages", __name__)


@bp.route("/")
@login_required
def home():
    if current_user.has_role(Role.LEADER):
        return redirect(url_for("insight.dashboard"))
    if current_user.has_role(*MANAGING_ROLES):
        return redirect(url_for("manage.audit_list"))
    return redirect(url_for("audits.my_audits"))


# A tick in a rounded square (no crown: this is a council's tool, not GOV.UK), at 16, 32 and 48
# pixels. Served at the address browsers ask for whether or not a page names an icon.
FAVICON = Path(__file__).parent / "assets" / "favicon.ico"


@bp.route("/favicon.ico")
def favicon():
    """The service's icon (about 1 KB, read whole: no file is left open)."""
    response = current_app.response_class(FAVICON.read_bytes(), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


@bp.route("/health")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


# Each area's entry page, the roles that see it, in menu order.
NAVIGATION: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    ("audits.my_audits", "My audits", (Role.AUDITOR, *MANAGING_ROLES)),
    ("manage.audit_list", "All audits", MANAGING_ROLES),
    ("moderation.queue", "Moderation", MANAGING_ROLES),
    ("follow_up.concern_list", "Safeguarding concerns", MANAGING_ROLES),
    ("follow_up.action_list", "Actions", MANAGING_ROLES),
    ("rounds.round_list", "Audit rounds", (Role.ADMIN,)),
    ("cases.case_list", "Case lists", (Role.ADMIN,)),
    ("template_admin.template_list", "Templates", MANAGING_ROLES),
    ("reports.pack", "Leadership pack", (*MANAGING_ROLES, Role.LEADER)),
    ("governance.people_list", "People", (Role.ADMIN,)),
    ("governance.team_list", "Teams", (Role.ADMIN,)),
    ("governance.access_log", "Access log", (Role.ADMIN, Role.QA_LEAD)),
    ("governance.event_log", "Event log", (Role.ADMIN, Role.QA_LEAD)),
    ("governance.retention", "Retention", (Role.ADMIN,)),
    ("governance.data_protection", "Data protection", (Role.ADMIN, Role.QA_LEAD)),
    ("insight.dashboard", "Dashboard", (*MANAGING_ROLES, Role.LEADER)),
)

# Menu groups: entries gathered under one menu item that opens a page listing them, so that the
# menu stays on one line however many areas there are. (key, menu text, the page's introduction)
MENU_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("follow-up", "Follow-up", "What must happen after an audit: concerns and actions."),
    ("administration", "Administration", "Setting up the service: what is audited and by whom."),
)
MENU_GROUP_KEYS = frozenset(key for key, _, _ in MENU_GROUPS)
# Menus kept at most (one per role, active entry and group page: well under a hundred).
NAVIGATION_CACHE_SIZE = 256
# The group each entry belongs to; an entry not named here stands on its own in the menu. A
# group with only one entry a user may see shows that entry in its place.
MENU_GROUP_OF: dict[str, str] = {
    "follow_up.concern_list": "follow-up",
    "follow_up.action_list": "follow-up",
    "rounds.round_list": "administration",
    "cases.case_list": "administration",
    "template_admin.template_list": "administration",
    "governance.people_list": "administration",
    "governance.team_list": "administration",
    "governance.access_log": "administration",
    "governance.event_log": "administration",
    "governance.retention": "administration",
    "governance.data_protection": "administration",
}
# What each entry is for, on its group's page.
MENU_DESCRIPTIONS: dict[str, str] = {
    "follow_up.concern_list": "Safeguarding concerns raised from audits, and responding to them.",
    "follow_up.action_list": "Every action set from the audits you can see, overdue ones first.",
    "rounds.round_list": "Draw a sample of cases to audit and assign it to auditors.",
    "cases.case_list": "The cases held, by team and case type, and importing a case list.",
    "template_admin.template_list": "Audit templates: upload, compare, preview and download.",
    "governance.people_list": "Add people, change their role or team, deactivate leavers.",
    "governance.team_list": "Add, rename, merge and retire teams.",
    "governance.access_log": "Who read or exported what, and when.",
    "governance.event_log": "Every change and export: who, when and what.",
    "governance.retention": "How long case detail is kept, what is due to go, and past runs.",
    "governance.data_protection": "What is held and where, who sees it, logs and retention.",
}
# Pages that belong to an entry of another area (a page not named here belongs to the entry of
# its own area, found by the blueprint name).
# Areas whose pages about one audit belong to whoever's audit it is (see active_entry).
AUDIT_PAGE_AREAS = ("audits", "follow_up", "manage")
SECTION_OF_ENDPOINT: dict[str, str] = {
    "follow_up.acknowledge_concern": "follow_up.concern_list",
}


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str
    active: bool = False


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    text: str
    description: str = ""


def _entries() -> list[MenuEntry]:
    """Return the menu entries the signed-in user's role may follow, in menu order."""
    return list(_entries_of_role(current_user.role))


def _entries_of_role(role: str) -> tuple[MenuEntry, ...]:
    """Return the menu entries a role may follow, worked out once per role and app (the areas
    an app has are fixed when it is created)."""
    cache = current_app.extensions.setdefault("menu_entries", {})
    if role not in cache:
        cache[role] = tuple(
            MenuEntry(endpoint, text, MENU_DESCRIPTIONS.get(endpoint, ""))
            for endpoint, text, roles in NAVIGATION
            if role in {str(allowed) for allowed in roles}
            and endpoint in current_app.view_functions
        )
    return cache[role]


def active_entry(endpoint: str | None, view_args: dict | None) -> str | None:
    """Return the menu entry (its endpoint) the current page belongs to, or None.

    A page about one audit (its actions, concerns, view) belongs to *My audits* for its auditor
    and to *All audits* for a manager reading someone else's audit.
    """
    if not endpoint:
        return None
    if endpoint in SECTION_OF_ENDPOINT:
        return SECTION_OF_ENDPOINT[endpoint]
    entries = [endpoint_ for endpoint_, _, _ in NAVIGATION]
    if endpoint in entries:
        return endpoint
    blueprint = endpoint.partition(".")[0]
    if blueprint in AUDIT_PAGE_AREAS and (view_args or {}).get("audit_id") is not None:
        # Already loaded by the view, so this reads the session's identity map, not the database.
        audit = db.session.get(Audit, view_args["audit_id"])
        if audit is not None and audit.auditor_id != current_user.id:
            return "manage.audit_list"
        return "audits.my_audits"
    same_area = [entry for entry in entries if entry.partition(".")[0] == blueprint]
    return same_area[0] if len(same_area) == 1 else None


def navigation_items(active: str | None) -> list[NavItem]:
    """Return the menu for the signed-in user: entries, and groups of entries, with the one the
    current page belongs to (``active``, from active_entry) marked active."""
    entries = _entries()
    seen_in_group: dict[str, list[MenuEntry]] = {}
    for entry in entries:
        if entry.endpoint in MENU_GROUP_OF:
            seen_in_group.setdefault(MENU_GROUP_OF[entry.endpoint], []).append(entry)
    groups = {key: text for key, text, _ in MENU_GROUPS}
    items: list[NavItem] = []
    placed: set[str] = set()
    for entry in entries:
        group = MENU_GROUP_OF.get(entry.endpoint)
        members = seen_in_group.get(group, []) if group else []
        if len(members) < 2:
            items.append(NavItem(url_for(entry.endpoint), entry.text, entry.endpoint == active))
        elif group not in placed:
            placed.add(group)
            here = (
                request.endpoint == "pages.menu_group"
                and (request.view_args or {}).get("group") == group
            )
            inside = any(member.endpoint == active for member in members)
            items.append(
                NavItem(url_for("pages.menu_group", group=group), groups[group], here or inside)
            )
    return items


@bp.route("/menu/<group>")
@role_required(*Role)
def menu_group(group: str):
    """A group's page: each entry in it the signed-in user may follow, with what it is for."""
    found = {key: (text, intro) for key, text, intro in MENU_GROUPS}
    if group not in found:
        abort(404)
    entries = [entry for entry in _entries() if MENU_GROUP_OF.get(entry.endpoint) == group]
    if not entries:
        abort(404)
    text, intro = found[group]
    return render_template("menu_group.html", title=text, intro=intro, entries=entries)


def service_navigation() -> Markup:
    """Return the GOV.UK service navigation for the page: the menu of the signed-in user with the
    entry the page belongs to marked active (none when signed out).

    The markup depends only on the role, the active entry, the group page being shown and where
    the app is mounted, so it is rendered once for each of those and kept for the app's life.
    """
    signed_in = current_user.is_authenticated
    active = active_entry(request.endpoint, request.view_args) if signed_in else None
    group_page = (
        (request.view_args or {}).get("group") if request.endpoint == "pages.menu_group" else None
    )
    if group_page not in MENU_GROUP_KEYS:
        group_page = None
    key = (
        current_user.role if signed_in else None,
        active,
        group_page,
        request.script_root,
        current_app.config.get("SERVICE_NAME"),
    )
    cache = current_app.extensions.setdefault("service_navigation", {})
    if key not in cache:
        if len(cache) >= NAVIGATION_CACHE_SIZE:
            cache.clear()  # only a mount point the app did not expect could grow it this far
        items = navigation_items(active) if signed_in else []
        nav = [{"href": item.href, "text": item.text, "active": item.active} for item in items]
        cache[key] = Markup(
            current_app.jinja_env.get_template("_service_navigation.html").render(
                service_name=current_app.config.get("SERVICE_NAME"),
                service_url=url_for("pages.home"),
                nav=nav,
            )
        )
    return cache[key]


@bp.app_context_processor
def inject_navigation() -> dict[str, object]:
    return {"service_navigation": service_navigation}


@bp.app_template_filter("datetime")
def format_datetime(value) -> str:
    """Return a timestamp as read on a clock in England, e.g. 3 March 2026 at 2:05pm."""
    return format_moment(value, weekday=False)


@bp.app_template_filter("date")
def date_filter(value) -> str:
    """Return a date as people read it, e.g. 3 March 2026."""
    return format_date(value)


STATUS_TAG_CLASSES = {
    "assigned": "govuk-tag--grey",
    "draft": "govuk-tag--blue",
    "returned": "govuk-tag--orange",
    "submitted": "govuk-tag--green",
    "resubmitted": "govuk-tag--green",
    "in_moderation": "govuk-tag--purple",
    "moderated": "govuk-tag--turquoise",
    "closed": "govuk-tag--grey",
}


@bp.app_template_global("status_tag_class")
def status_tag_class(audit) -> str:
    """Return the GOV.UK tag colour for an audit's status."""
    return STATUS_TAG_CLASSES.get(audit.status, "govuk-tag--grey")


@bp.app_template_global("has_endpoint")
def has_endpoint(endpoint: str) -> bool:
    """Return True when the app has a view for the endpoint (areas can be switched off)."""
    return endpoint in current_app.view_functions


@bp.app_template_global("yes_no")
def yes_no(value: bool | None) -> str:
    """Return Yes, No or Not recorded."""
    return "Not recorded" if value is None else ("Yes" if value else "No")


bp.add_app_template_global(page_numbers, "page_numbers")


@bp.app_template_global("role_label")
def role_label(role: str) -> str:
    """Return a role as people read it ("QA lead", not "qa_lead")."""
    try:
        return Role(role).label
    except ValueError:
        return role
