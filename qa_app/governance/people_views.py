"""People in the browser (administrators), and each person's own account page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from qa_app.audits.operations import record_event
from qa_app.auth.login import role_required
from qa_app.auth.passwords import password_problems
from qa_app.auth.sessions import end_all_sessions, session_marks
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.governance import people_operations, people_queries
from qa_app.governance.blueprint import bp
from qa_app.governance.people_forms import (
    AddPersonForm,
    ChangePasswordForm,
    DeactivateForm,
    PersonForm,
    ResetPasswordForm,
)
from qa_app.governance.people_operations import PeopleProblem
from qa_app.governance.presentation import committed, error_summary, select_choices
from qa_app.models import Role, Team, User
from qa_app.people.operations import UserProblem, create_user

ALL_ROLES = tuple(Role)


def _team_choices() -> list[tuple[str, str]]:
    teams = db.session.scalars(select(Team).where(Team.retired_at.is_(None)).order_by(Team.name))
    return select_choices([("", "No team"), *((str(t.id), t.name) for t in teams)])


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/people")
@role_required(Role.ADMIN)
def people_list():
    return render_template(
        "governance/people_list.html",
        people=people_queries.user_rows(db.session),
        role_label=lambda value: Role(value).label,
    )


@bp.route("/admin/people/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def add_person():
    form = AddPersonForm()
    form.team.choices = _team_choices()
    if form.validate_on_submit():
        team = db.session.get(Team, int(form.team.data)) if form.team.data else None
        try:
            user = create_user(
                db.session,
                form.email.data,
                form.display_name.data,
                Role(form.role.data),
                form.password.data,
                team.name if team else None,
            )
        except UserProblem as problem:
            db.session.rollback()
            field = form.password if "assword" in str(problem) else form.email
            field.errors.append(str(problem))
        else:
            user.must_change_password = True
            record_event(db.session, "user_added", current_user, user_id=user.id, role=user.role)
            db.session.commit()
            flash(
                f"{user.display_name} added. They must change the password when they sign in.",
                "success",
            )
            return redirect(url_for("governance.people_list"))
    return render_template("governance/add_person.html", form=form, errors=error_summary(form))


@bp.route("/admin/people/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def change_person(user_id: int):
    user = _person(user_id)
    form = PersonForm(
        obj=None if request.method == "POST" else user,
        data=None
        if request.method == "POST"
        else {
            "team": str(user.team_id or ""),
            "display_name": user.display_name,
            "role": user.role,
        },
    )
    form.team.choices = _team_choices()
    if user.team_id and str(user.team_id) not in {c.value for c in form.team.choices}:
        form.team.choices += select_choices([(str(user.team_id), user.team.name)])
    if form.validate_on_submit():

        def change() -> None:
            user.display_name = form.display_name.data.strip()
            people_operations.set_role(db.session, user, Role(form.role.data), current_user)
            team = db.session.get(Team, int(form.team.data)) if form.team.data else None
            if (team.id if team else None) != user.team_id:
                people_operations.set_team(db.session, user, team, current_user)

        saved, _ = committed(change, form.role)
        if saved:
            flash(f"Changes to {user.display_name} saved.", "success")
            return redirect(url_for("governance.people_list"))
    return render_template(
        "governance/change_person.html",
        form=form,
        errors=error_summary(form),
        person=user,
        sign_ins=people_queries.recent_sign_ins(db.session, user.id),
    )


@bp.route("/admin/people/<int:user_id>/deactivate", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def deactivate_person(user_id: int):
    user = _person(user_id)
    form = DeactivateForm()
    others = db.session.scalars(
        select(User).where(User.active.is_(True), User.id != user.id).order_by(User.display_name)
    )
    form.reassign_to.choices = select_choices(
        [("", "Nobody: leave them where they are")]
        + [(str(u.id), f"{u.display_name} ({u.email})") for u in others]
    )
    if form.validate_on_submit():
        heir = db.session.get(User, int(form.reassign_to.data)) if form.reassign_to.data else None
        saved, moved = committed(
            lambda: people_operations.deactivate(db.session, user, current_user, heir),
            form.reassign_to,
        )
        if saved:
            flash(
                f"{user.display_name} deactivated: {moved['audits']} audits and "
                f"{moved['actions']} actions reassigned.",
                "success",
            )
            return redirect(url_for("governance.people_list"))
    return render_template(
        "governance/deactivate_person.html", form=form, errors=error_summary(form), person=user
    )


@bp.route("/admin/people/<int:user_id>/reactivate", methods=["POST"])
@role_required(Role.ADMIN)
def reactivate_person(user_id: int):
    user = _person(user_id)
    try:
        people_operations.reactivate(db.session, user, current_user)
    except PeopleProblem as problem:
        db.session.rollback()
        flash(str(problem), "info")
    else:
        db.session.commit()
        flash(f"{user.display_name} can sign in again.", "success")
    return redirect(url_for("governance.people_list"))


@bp.route("/admin/people/<int:user_id>/sign-out-everywhere", methods=["POST"])
@role_required(Role.ADMIN)
def sign_out_everywhere(user_id: int):
    user = _person(user_id)
    end_all_sessions(db.session, user)
    record_event(db.session, "user_signed_out_everywhere", current_user, user_id=user.id)
    db.session.commit()
    if user.id == current_user.id:
        session.update(session_marks(user, utcnow()))  # this browser stays signed in
    flash(f"Every session of {user.display_name} has ended.", "success")
    return redirect(url_for("governance.change_person", user_id=user.id))


@bp.route("/admin/people/<int:user_id>/password", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    user = _person(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problems = password_problems(form.password.data, user.email, user.display_name)
        if problems:
            form.password.errors.append(problems[0])
        else:
            user.set_password(form.password.data)
            user.must_change_password = True
            end_all_sessions(db.session, user)
            record_event(db.session, "user_password_reset", current_user, user_id=user.id)
            db.session.commit()
            flash(
                f"Password reset. {user.display_name} must change it when they sign in.", "success"
            )
            return redirect(url_for("governance.change_person", user_id=user.id))
    return render_template(
        "governance/reset_password.html", form=form, errors=error_summary(form), person=user
    )


@bp.route("/account", methods=["GET", "POST"])
@role_required(*ALL_ROLES)
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        problems = password_problems(form.new_password.data, user.email, user.display_name)
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append("Your current password is not right")
        elif problems:
            form.new_password.errors.append(problems[0])
        else:
            user.set_password(form.new_password.data)
            user.must_change_password = False
            end_all_sessions(db.session, user)  # other browsers sign in again
            record_event(db.session, "password_changed", user, user_id=user.id)
            db.session.commit()
            session.update(session_marks(user, utcnow()))
            flash("Your password has been changed.", "success")
            return redirect(url_for("governance.account"))
    return render_template(
        "governance/account.html",
        form=form,
        errors=error_summary(form),
        sign_ins=people_queries.recent_sign_ins(db.session, current_user.id),
    )
