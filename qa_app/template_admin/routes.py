"""The templates pages: every stored version, a read-only preview, and what changed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import MANAGING_ROLES, Role
from qa_app.template_admin import queries
from qa_app.template_admin.changes import grouped_changes
from qa_app.template_admin.preview import preview_context

bp = Blueprint("template_admin", __name__, url_prefix="/templates", template_folder="templates")

QA_LEADS = MANAGING_ROLES
# Who may load new versions (upload): QA leads and administrators.
LOADERS = (Role.QA_LEAD, Role.ADMIN)


@bp.route("")
@role_required(*QA_LEADS)
def template_list():
    """Each template with its versions and how many audits use each."""
    return render_template(
        "template_admin/template_list.html",
        templates=queries.template_summaries(db.session),
        can_upload=current_user.has_role(*LOADERS),
    )


@bp.route("/<key>/versions/<int:version>")
@role_required(*QA_LEADS)
def preview(key: str, version: int):
    """One version as an auditor sees it, read only, with each question's settings."""
    stored = queries.get_version(db.session, key, version)
    if stored is None:
        abort(404)
    numbers = queries.version_numbers(db.session, key)
    return render_template(
        "template_admin/preview.html", **preview_context(stored), version_numbers=numbers
    )


@bp.route("/<key>/compare")
@role_required(*QA_LEADS)
def compare(key: str):
    """What changed between two versions (by default the previous and the latest)."""
    numbers = queries.version_numbers(db.session, key)
    if not numbers:
        abort(404)
    latest = queries.get_version(db.session, key)
    context = {"key": key, "latest": latest, "numbers": numbers, "groups": [], "errors": {}}
    if len(numbers) < 2:
        return render_template("template_admin/compare.html", **context)
    errors: dict[str, str] = {}
    chosen = {
        name: _chosen_version(name, default, numbers, errors)
        for name, default in (("from", numbers[-2]), ("to", numbers[-1]))
    }
    if not errors and chosen["from"] == chosen["to"]:
        errors["to"] = "Select a different version to compare with"
    context |= {"chosen": chosen, "errors": errors, "page_has_errors": bool(errors)}
    if errors:
        return render_template("template_admin/compare.html", **context), 400
    old = queries.get_version(db.session, key, chosen["from"])
    new = queries.get_version(db.session, key, chosen["to"])
    assert old is not None and new is not None
    groups = grouped_changes(old.definition, new.definition)
    context |= {
        "old": old,
        "new": new,
        "groups": groups,
        "total": sum(len(group.rows) for group in groups),
    }
    return render_template("template_admin/compare.html", **context)


def _chosen_version(name: str, default: int, numbers: list[int], errors: dict[str, str]) -> int:
    """Return the version number in the query string (or the default), noting a bad one."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if raw.isdigit() and int(raw) in numbers:
        return int(raw)
    which = "compare from" if name == "from" else "compare with"
    errors[name] = f"Select a version of this template to {which}"
    return default


from qa_app.template_admin import upload_views  # noqa: E402, F401  (registers the upload pages)
