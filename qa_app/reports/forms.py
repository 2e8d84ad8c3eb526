"""The pack's download form: period, teams, templates, rounds, and the tier.

Fields carry no validators: :func:`read_pack_form` checks what was typed, puts each problem on its
field, and leaves the typed text in place.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)

from qa_app.audits.forms import DatePartsField
from qa_app.audits.responses import parse_date_parts
from qa_app.reports.pack_filters import PackFilters

DE_IDENTIFIED = "de_identified"
CASE_LEVEL = "case_level"
PURPOSE_LIMIT = 500


class PackForm(FlaskForm):
    period_start = DatePartsField(
        "Submitted on or after", description="Leave blank for every audit. For example, 1 4 2026"
    )
    period_end = DatePartsField("Submitted on or before", description="For example, 30 6 2026")
    teams = SelectMultipleField(
        "Teams",
        description="Leave all unticked for every team you can see",
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )
    templates = SelectMultipleField(
        "Audit templates",
        description="Leave all unticked for every template",
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    rounds = SelectMultipleField(
        "Audit rounds",
        description="Leave all unticked for audits of any round, or none",
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )
    tier = RadioField(
        "What should the pack hold?",
        choices=[
            SelectChoice(
                DE_IDENTIFIED,
                "De-identified: grades and figures only, small numbers suppressed",
            ),
            SelectChoice(
                CASE_LEVEL,
                "Case-level: also case references and written rationales (recorded in the "
                "event log)",
            ),
        ],
        default=DE_IDENTIFIED,
        widget=GovRadioInput(),
        validate_choice=False,
    )
    purpose = TextAreaField(
        "Purpose of a case-level pack",
        description="Only for a case-level pack: why you need case references and written "
        "text, for example the audit evidence for the inspection of June 2026",
        widget=GovCharacterCount(),
    )
    with_data = BooleanField(
        "Include the Data sheet (one row per answer, for pivot tables)",
        default=True,
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Make the pack", widget=GovSubmitInput())


def read_pack_form(
    form: PackForm, may_use_case_level: bool
) -> tuple[PackFilters | None, list[tuple[str, str]]]:
    """Return the filters the form asks for, or None and the problems as (anchor, message)."""
    problems: list[tuple[str, str]] = []

    def date_of(field: DatePartsField, name: str):
        value, problem = parse_date_parts(*field.parts())
        if problem:
            message = f"{name} {problem}"
            field.errors = [message]
            problems.append((f"{field.id}-day", message))
        return value

    start = date_of(form.period_start, "The start date")
    end = date_of(form.period_end, "The end date")
    if start and end and end < start:
        message = "The end date must be the same as or after the start date"
        form.period_end.errors = [message]
        problems.append(("period_end-day", message))
    case_level = form.tier.data == CASE_LEVEL
    purpose = (form.purpose.data or "").strip()
    if case_level and not may_use_case_level:
        message = "Only QA leads and administrators can make a case-level pack"
        form.tier.errors = [message]
        problems.append(("tier", message))
    elif case_level and not purpose:
        message = "Enter the purpose of the case-level pack"
        form.purpose.errors = [message]
        problems.append(("purpose", message))
    elif len(purpose) > PURPOSE_LIMIT:
        message = f"The purpose must be {PURPOSE_LIMIT} characters or fewer"
        form.purpose.errors = [message]
        problems.append(("purpose", message))
    if problems:
        return None, problems
    return (
        PackFilters(
            period_start=start,
            period_end=end,
            team_ids=tuple(form.teams.data or ()),
            template_keys=tuple(form.templates.data or ()),
            round_ids=tuple(form.rounds.data or ()),
            case_level=case_level,
            purpose=purpose if case_level else None,
            with_data=bool(form.with_data.data),
        ),
        [],
    )
