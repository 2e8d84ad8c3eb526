"""Teams in the browser (administrators): list, add, rename, merge and retire.

Each change goes through ``people_operations``, the same functions the ``teams`` commands use,
and so lands in the event log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.governance import people_operations, people_queries
from qa_app.governance.blueprint import bp
from qa_app.governance.presentation import committed, error_summary, select_choices
from qa_app.governance.team_forms import MergeTeamForm, RetireTeamForm, TeamNameForm
from qa_app.models import Role, Team


def _current_team(team_id: int) -> Team:
    """Return the team, 404 when there is none; a retired team cannot be changed any more."""
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    if team.retired_at is not None:
        flash(f"{team.name} is retired: it cannot be changed.", "info")
        abort(redirect(url_for("governance.team_list")))
    return team


def _other_teams(team: Team) -> list[tuple[str, str]]:
    others = db.session.scalars(
        select(Team).where(Team.retired_at.is_(None), Team.id != team.id).order_by(Team.name)
    )
    return [(str(t.id), t.name) for t in others]


def _chosen_team(value: str | None) -> Team | None:
    return db.session.get(Team, int(value)) if value and value.isdigit() else None


@bp.route("/admin/teams")
@role_required(Role.ADMIN)
def team_list():
    return render_template("governance/team_list.html", teams=people_queries.team_rows(db.session))


@bp.route("/admin/teams/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def add_team():
    form = TeamNameForm()
    form.submit.label.text = "Add team"
    if form.validate_on_submit():
        saved, team = committed(
            lambda: people_operations.add_team(db.session, form.name.data, current_user),
            form.name,
        )
        if saved:
            flash(f"{team.name} added.", "success")
            return redirect(url_for("governance.team_list"))
    return render_template(
        "governance/team_name.html", form=form, errors=error_summary(form), team=None
    )


@bp.route("/admin/teams/<int:team_id>/rename", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rename_team(team_id: int):
    team = _current_team(team_id)
    form = TeamNameForm(data=None if request.method == "POST" else {"name": team.name})
    form.submit.label.text = "Rename team"
    if form.validate_on_submit():
        old_name = team.name
        saved, _ = committed(
            lambda: people_operations.rename_team(db.session, team, form.name.data, current_user),
            form.name,
        )
        if saved:
            flash(f"{old_name} is now called {team.name}.", "success")
            return redirect(url_for("governance.team_list"))
    return render_template(
        "governance/team_name.html", form=form, errors=error_summary(form), team=team
    )


@bp.route("/admin/teams/<int:team_id>/merge", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def merge_team(team_id: int):
    team = _current_team(team_id)
    form = MergeTeamForm()
    form.into.choices = select_choices([("", "Choose a team"), *_other_teams(team)])
    into = _chosen_team(form.into.data)
    if form.validate_on_submit() and into is not None:
        if form.confirmed.data != "yes":
            # First post: say what would move before anything does.
            form.confirmed.data = "yes"
            form.submit.label.text = "Merge teams"
            return render_template(
                "governance/merge_team_confirm.html",
                form=form,
                team=team,
                into=into,
                moves=people_queries.team_holdings(db.session, team.id),
            )
        saved, moved = committed(
            lambda: people_operations.merge_teams(db.session, team, into, current_user),
            form.into,
        )
        if saved:
            flash(
                f"{team.name} merged into {into.name}: {moved['cases']} cases (with their "
                f"audits), {moved['people']} people and {moved['concerns']} concerns moved. "
                f"{team.name} is retired.",
                "success",
            )
            return redirect(url_for("governance.team_list"))
    return render_template(
        "governance/merge_team.html", form=form, errors=error_summary(form), team=team
    )


@bp.route("/admin/teams/<int:team_id>/retire", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def retire_team(team_id: int):
    team = _current_team(team_id)
    form = RetireTeamForm()
    form.people_to.choices = select_choices([("", "No team"), *_other_teams(team)])
    if form.validate_on_submit():
        people_to = _chosen_team(form.people_to.data)
        saved, moved = committed(
            lambda: people_operations.retire_team(db.session, team, current_user, people_to),
            form.people_to,
        )
        if saved:
            where = people_to.name if people_to else "no team"
            flash(f"{team.name} retired: {moved['people']} people moved to {where}.", "success")
            return redirect(url_for("governance.team_list"))
    return render_template(
        "governance/retire_team.html",
        form=form,
        errors=error_summary(form),
        team=team,
        holdings=people_queries.team_holdings(db.session, team.id),
        people=people_queries.team_people(db.session, team.id),
    )
