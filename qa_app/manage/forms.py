from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import Form, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa_app.audits.forms import DatePartsField
from qa_app.audits.responses import parse_date_parts
from qa_app.manage.audit_list import AuditFilters, FilterChoices


class ReturnAuditForm(FlaskForm):
    reason = TextAreaField(
        "What does the auditor need to change?",
        description="The auditor sees this on the audit's task list.",
        widget=GovCharacterCount(),
        validators=[
            InputRequired(message="Enter what the auditor needs to change"),
            Length(
                max=5000,
                message="What the auditor needs to change must be 5000 characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Return the audit", widget=GovSubmitInput())


class AuditFiltersForm(Form):
    """The *All audits* filters, read from the URL (a GET form: no CSRF token, nothing changes)."""

    reference = StringField(
        "Case reference", description="All or part of it", widget=GovTextInput()
    )
    team = SelectField("Team", widget=GovSelect(), validate_choice=False)
    template = SelectField("Template", widget=GovSelect(), validate_choice=False)
    round = SelectField("Audit round", widget=GovSelect(), validate_choice=False)
    status = SelectField("Status", widget=GovSelect(), validate_choice=False)
    judgement = SelectField("Final overall judgement", widget=GovSelect(), validate_choice=False)
    auditor = SelectField("Auditor", widget=GovSelect(), validate_choice=False)
    submitted_from = DatePartsField("Submitted from", description="For example, 1 4 2026")
    submitted_to = DatePartsField("Submitted to", description="For example, 30 4 2026")

    def set_choices(
        self, choices: FilterChoices, judgements: list[tuple[str, str]], statuses
    ) -> None:
        """Fill every select with "Any" first, then what there is to choose from."""
        self.team.choices = _any("team") + [SelectChoice(str(i), n) for i, n in choices.teams]
        self.template.choices = _any("template") + [
            SelectChoice(key, title) for key, title in choices.templates
        ]
        self.round.choices = _any("round") + [SelectChoice(str(i), n) for i, n in choices.rounds]
        self.status.choices = _any("status") + [SelectChoice(s.value, s.label) for s in statuses]
        self.judgement.choices = _any("judgement") + [
            SelectChoice(value, label) for value, label in judgements
        ]
        self.auditor.choices = _any("auditor") + [
            SelectChoice(str(i), n) for i, n in choices.auditors
        ]

    def read(self) -> AuditFilters:
        """Return the filters typed, putting a message on each date that is not a real date
        (that date is then left out of the filters; everything typed stays in the form)."""
        return AuditFilters(
            team_id=_whole_number(self.team.data),
            template_key=self.template.data or None,
            round_id=_whole_number(self.round.data),
            status=self.status.data or None,
            judgement=self.judgement.data or None,
            auditor_id=_whole_number(self.auditor.data),
            submitted_from=_date(self.submitted_from),
            submitted_to=_date(self.submitted_to),
            reference=(self.reference.data or "").strip() or None,
        )

    def query_args(self) -> dict[str, object]:
        """Return the filters as URL arguments, for sort and page links that keep them."""
        args: dict[str, object] = {}
        for field in self:
            if isinstance(field, DatePartsField):
                if any(field.parts()):
                    args[field.name] = list(field.parts())
            elif field.data:
                args[field.name] = field.data
        return args


def _any(name: str) -> list[SelectChoice]:
    return [SelectChoice("", f"Any {name}")]


def _whole_number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _date(field: DatePartsField) -> date | None:
    day, problem = parse_date_parts(*field.parts())
    if problem:
        field.errors = [f"{field.label.text} {problem}"]
    return day
