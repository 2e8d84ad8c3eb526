"""The Moderation page: how often auditors and moderators agree, for a chosen slice."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from sqlalchemy import select
from wtforms import SelectField, SubmitField

from qa_app.audits.queries import all_teams
from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.follow_up.forms import DateInputField
from qa_app.models import MANAGING_ROLES, Role, TemplateVersion, User
from qa_app.moderation import queries
from qa_app.moderation.agreement_report import AgreementFilters, agreement_report
from qa_app.moderation.routes import bp


class FilterDateField(DateInputField):
    """A day/month/year date that may be left out of the query string altogether."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            self.raw_data, self.data, self.problem = None, None, None
            return
        super().process_formdata(valuelist)


class AgreementFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    since = FilterDateField("Moderated from")
    until = FilterDateField("Moderated up to")
    round_id = SelectField("Audit round", widget=GovSelect(), validate_choice=False)
    team_id = SelectField("Team", widget=GovSelect(), validate_choice=False)
    template = SelectField("Template", widget=GovSelect(), validate_choice=False)
    auditor_id = SelectField("Auditor", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Show figures", widget=GovSubmitInput())


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@bp.route("/agreement")
@role_required(*MANAGING_ROLES)
def agreement():
    form = AgreementFilterForm(request.args)
    form.round_id.choices = [("", "All rounds")] + [
        (str(r.id), r.name) for r in queries.rounds_by_newest(db.session)
    ]
    teams = all_teams(db.session)
    if not current_user.sees_all_teams:
        teams = [t for t in teams if t.id == current_user.team_id]
    form.team_id.choices = [("", "All your teams")] + [(str(t.id), t.name) for t in teams]
    keys = db.session.execute(
        select(TemplateVersion.key, TemplateVersion.title).order_by(TemplateVersion.title)
    ).all()
    form.template.choices = [("", "All templates")] + list(dict((k, t) for k, t in keys).items())
    auditors = db.session.scalars(
        select(User)
        .where(User.role.in_([r.value for r in (Role.AUDITOR, *MANAGING_ROLES)]))
        .order_by(User.display_name)
    )
    form.auditor_id.choices = [("", "All auditors")] + [
        (str(u.id), u.display_name) for u in auditors
    ]
    valid = not request.args or form.validate()
    filters = AgreementFilters(
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
        round_id=_number(form.round_id.data),
        team_id=_number(form.team_id.data),
        template_key=form.template.data or None,
        auditor_id=_number(form.auditor_id.data),
    )
    only_team = None if current_user.sees_all_teams else current_user.team_id
    report = agreement_report(db.session, filters, only_team)
    summary = [
        {"text": error, "href": f"#{name}"}
        for name, errors in form.errors.items()
        for error in errors
    ]
    return render_template(
        "moderation/agreement.html",
        form=form,
        report=report,
        error_summary=summary,
        page_has_errors=bool(summary),
    )
