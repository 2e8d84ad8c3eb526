"""Moderation rules per round (and for audits outside rounds), and drawing audits by them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import AuditRound, ModerationDraw, Role
from qa_app.moderation import drawing, queries
from qa_app.moderation.forms import DrawForm, RuleForm
from qa_app.moderation.routes import bp
from qa_app.sampling.rule import parse_percent, parse_whole_number
from qa_app.template_format.scales import BUILT_IN_SCALES

OUTSIDE = "outside"
RULE_ROLES = (Role.QA_LEAD, Role.ADMIN)


def _scope(scope: str) -> tuple[int | None, str, AuditRound | None]:
    if scope == OUTSIDE:
        return None, "Audits started outside a round", None
    round_ = db.session.get(AuditRound, int(scope)) if scope.isdigit() else None
    if round_ is None:
        abort(404)
    return round_.id, round_.name, round_


def _judgement_choices(round_: AuditRound | None) -> list[tuple[str, str]]:
    if round_ is not None:
        definition = round_.template_version.definition
        scale = definition.scale(definition.overall.scale)
    else:
        scale = BUILT_IN_SCALES["ofsted"]
    return [(o.value, o.label) for o in scale.options]


@bp.route("/rules")
@role_required(*RULE_ROLES)
def rules():
    scopes = [(OUTSIDE, "Audits started outside a round", drawing.rule_for(db.session, None))]
    scopes += [
        (str(r.id), r.name, drawing.rule_for(db.session, r.id))
        for r in queries.rounds_by_newest(db.session)
    ]
    return render_template("moderation/rules.html", scopes=scopes)


@bp.route("/rules/<scope>", methods=["GET", "POST"])
@role_required(*RULE_ROLES)
def rule(scope: str):
    round_id, title, round_ = _scope(scope)
    current = drawing.rule_for(db.session, round_id)
    form = RuleForm()
    form.always_judgements.choices = _judgement_choices(round_)
    if form.validate_on_submit():
        percent = parse_percent(form.percent.data or "")
        minimum = parse_whole_number(form.minimum_per_auditor.data or "")
        days = parse_whole_number(form.due_working_days.data or "")
        if percent is None or not 0 < percent <= 100:
            form.percent.errors.append("Enter a percentage between 1 and 100, like 20")
        if minimum is None or minimum < 0:
            form.minimum_per_auditor.errors.append("Enter the minimum as a whole number, like 1")
        if days is None or days < 1:
            form.due_working_days.errors.append("Enter a whole number of working days, like 10")
        if not (
            form.percent.errors or form.minimum_per_auditor.errors or form.due_working_days.errors
        ):
            drawing.save_rule(
                db.session,
                round_id,
                current_user,
                percent=percent,
                minimum_per_auditor=minimum,
                always_judgements=list(form.always_judgements.data or []),
                blind=bool(form.blind.data),
                due_working_days=days,
            )
            db.session.commit()
            flash(f"Moderation rule saved for {title}.", "success")
            return redirect(url_for("moderation.rule", scope=scope))
    elif not form.is_submitted():
        form.percent.data = f"{current.percent:g}"
        form.minimum_per_auditor.data = str(current.minimum_per_auditor)
        form.always_judgements.data = list(current.always_judgements)
        form.blind.data = current.blind
        form.due_working_days.data = str(current.due_working_days)
    return _rule_page(scope, title, round_id, form, DrawForm(formdata=None))


def _rule_page(scope, title, round_id, form, draw_form):
    where = (
        ModerationDraw.round_id.is_(None)
        if round_id is None
        else ModerationDraw.round_id == round_id
    )
    draws = list(
        db.session.scalars(
            select(ModerationDraw).where(where).order_by(ModerationDraw.id.desc()).limit(10)
        )
    )
    errors = [
        {"text": error, "href": f"#{name}"}
        for f in (form, draw_form)
        for name, messages in f.errors.items()
        for error in messages
    ]
    return render_template(
        "moderation/rule.html",
        scope=scope,
        title=title,
        form=form,
        draw_form=draw_form,
        draws=draws,
        error_summary=errors,
        page_has_errors=bool(errors),
    )


@bp.route("/rules/<scope>/draw", methods=["POST"])
@role_required(*RULE_ROLES)
def draw(scope: str):
    round_id, title, round_ = _scope(scope)
    draw_form = DrawForm()
    if draw_form.validate_on_submit():
        seed_text = (draw_form.seed.data or "").strip()
        seed = parse_whole_number(seed_text) if seed_text else None
        if seed_text and seed is None:
            draw_form.seed.errors = [
                *draw_form.seed.errors,
                "Enter the seed as a whole number, like 12345",
            ]
        else:
            record = drawing.draw(db.session, round_id, current_user, seed=seed)
            db.session.commit()
            flash(
                f"{record.selected} {'audit' if record.selected == 1 else 'audits'} drawn for "
                f"moderation (seed {record.seed}).",
                "success",
            )
            return redirect(url_for("moderation.rule", scope=scope))
    form = RuleForm(formdata=None)
    form.always_judgements.choices = _judgement_choices(round_)
    current = drawing.rule_for(db.session, round_id)
    form.percent.data = f"{current.percent:g}"
    form.minimum_per_auditor.data = str(current.minimum_per_auditor)
    form.always_judgements.data = list(current.always_judgements)
    form.blind.data = current.blind
    form.due_working_days.data = str(current.due_working_days)
    return _rule_page(scope, title, round_id, form, draw_form)
