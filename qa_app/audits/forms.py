"""Forms: starting an audit, and the audit form built from a template definition.

The audit form's fields carry no validators of their own: the template's rules are checked by the
domain (``rules.py``) so the same rules hold in the web form, the CLI and the tests. The form maps
what was posted to :class:`Responses` and puts the problems found back on its fields.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from qa_app.audits.responses import (
    OVERALL,
    Response,
    Responses,
    judgement_key,
    parse_date_parts,
)
from qa_app.audits.rules import Problem
from qa_app.template_format.definition import NOT_APPLICABLE, Criterion, TemplateDefinition

RATIONALE_MAX = 5000


class StartAuditForm(FlaskForm):
    template_version_id = SelectField(
        "Audit template",
        widget=GovSelect(),
        validators=[InputRequired(message="Select an audit template")],
        coerce=str,
        validate_choice=False,
    )
    case_reference = StringField(
        "Case reference",
        description="The pseudonymised reference from the case management system, for example "
        "CR-104233. Never enter a child's name.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the case reference"),
            Length(max=64, message="Case reference must be 64 characters or fewer"),
        ],
    )
    team_id = SelectField(
        "Team holding the case",
        widget=GovSelect(),
        validators=[InputRequired(message="Select the team holding the case")],
        coerce=str,
        validate_choice=False,
    )
    submit = SubmitField("Start audit", widget=GovSubmitInput())


class DatePartsField(Field):
    """A GOV.UK day/month/year date whose three parts are kept exactly as typed."""

    widget = GovDateInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [str(v) for v in valuelist[:3]]
        self.raw_data = parts + [""] * (3 - len(parts))
        self.data = None

    def parts(self) -> tuple[str, str, str]:
        day, month, year = self.raw_data if self.raw_data else ("", "", "")
        return day, month, year

    def _value(self) -> str:
        return ""


def answer_field(criterion: Criterion) -> str:
    return f"answer__{criterion.key}"


def rationale_field(key: str) -> str:
    return f"rationale__{key}"


def field_names(key: str) -> dict[str, str]:
    """Return the names of the answer, rationale and override fields for a response key."""
    if key == OVERALL:
        return {"answer": "overall", "rationale": "overall_rationale", "override": "override_reason"}
    if key.endswith(".judgement"):
        section = key.removesuffix(".judgement")
        return {"answer": f"judgement__{section}", "rationale": f"rationale__{section}__judgement"}
    return {"answer": f"answer__{key}", "rationale": f"rationale__{key}"}


def build_audit_form_class(definition: TemplateDefinition) -> type[FlaskForm]:
    """Return a FlaskForm class with a field for every question the template asks."""
    fields: dict[str, Any] = {"lock_version": HiddenField()}
    for section in definition.sections:
        for criterion in section.criteria:
            fields[answer_field(criterion)] = _criterion_field(definition, criterion)
            fields[rationale_field(criterion.key)] = _rationale_box("Your reasons and evidence")
        if section.judgement is not None:
            names = field_names(judgement_key(section.key))
            fields[names["answer"]] = _scale_radios(
                definition, section.judgement.question, section.judgement.scale, section.judgement.hint
            )
            fields[names["rationale"]] = _rationale_box("Your reasons for this section's grade")
    fields["overall"] = _scale_radios(
        definition, definition.overall.question, definition.overall.scale, definition.overall.hint
    )
    fields["overall_rationale"] = _rationale_box("Your reasons for the overall judgement")
    fields["override_reason"] = _rationale_box(
        "Reason the overall judgement is better than a limiting answer"
    )
    fields["action_save"] = SubmitField("Save draft", widget=GovSubmitInput())
    fields["action_submit"] = SubmitField("Submit audit", widget=GovSubmitInput())
    return type("AuditForm", (FlaskForm,), fields)


def _criterion_field(definition: TemplateDefinition, criterion: Criterion) -> Field:
    match criterion.type:
        case "scale":
            assert criterion.scale is not None
            return _scale_radios(
                definition, criterion.question, criterion.scale, criterion.hint, criterion.allow_na
            )
        case "tags":
            return SelectMultipleField(
                criterion.question,
                description=criterion.hint,
                choices=[SelectChoice(o.value, o.label) for o in criterion.options],
                widget=GovCheckboxesInput(),
                validate_choice=False,
            )
        case "date":
            return DatePartsField(criterion.question, description=criterion.hint or "For example, 27 3 2026")
        case "number":
            return StringField(criterion.question, description=criterion.hint, widget=GovTextInput())
        case _:
            return TextAreaField(criterion.question, description=criterion.hint, widget=GovCharacterCount())


def _scale_radios(
    definition: TemplateDefinition, question: str, scale_key: str, hint: str, allow_na: bool = False
) -> RadioField:
    choices = [SelectChoice(o.value, o.label) for o in definition.scale(scale_key).options]
    if allow_na:
        choices.append(SelectChoice(NOT_APPLICABLE, "Not applicable"))
    return RadioField(
        question, description=hint, choices=choices, widget=GovRadioInput(), validate_choice=False
    )


def _rationale_box(label: str) -> TextAreaField:
    return TextAreaField(label, widget=GovCharacterCount())


def form_data_from_responses(
    definition: TemplateDefinition, responses: Responses, override_reason: str
) -> dict[str, Any]:
    """Return the form's initial data for stored responses."""
    from datetime import date

    data: dict[str, Any] = {"override_reason": override_reason}
    for key, response in responses.items():
        names = field_names(key)
        criterion = definition.criterion(key)
        if criterion is not None and criterion.type == "tags":
            data[names["answer"]] = list(response.tags)
        elif criterion is not None and criterion.type == "date" and response.value:
            try:
                data[names["answer"]] = date.fromisoformat(response.value)
            except ValueError:
                data[names["answer"]] = None
        else:
            data[names["answer"]] = response.value
        data[names["rationale"]] = response.rationale
    return data


def responses_from_form(
    definition: TemplateDefinition, form: FlaskForm
) -> tuple[Responses, str, list[Problem]]:
    """Return what the form holds as responses, the override reason, and any date problems."""
    responses: Responses = {}
    problems: list[Problem] = []

    def text(name: str) -> str:
        return (form[name].data or "") if name in form else ""

    for section in definition.sections:
        for criterion in section.criteria:
            names = field_names(criterion.key)
            field = form[names["answer"]]
            response = Response(rationale=text(names["rationale"]))
            if criterion.type == "tags":
                response.tags = [str(v) for v in (field.data or [])]
            elif criterion.type == "date":
                parsed, problem = parse_date_parts(*field.parts())
                if problem:
                    problems.append(Problem(criterion.key, "answer", f"{criterion.question} {problem}"))
                    response.value = None
                else:
                    response.value = parsed.isoformat() if parsed else None
            else:
                response.value = field.data
            responses[criterion.key] = response
        if section.judgement is not None:
            key = judgement_key(section.key)
            names = field_names(key)
            responses[key] = Response(value=form[names["answer"]].data, rationale=text(names["rationale"]))
    responses[OVERALL] = Response(value=form["overall"].data, rationale=text("overall_rationale"))
    return responses, text("override_reason"), problems


def attach_problems(definition: TemplateDefinition, form: FlaskForm, problems: list[Problem]) -> list[dict[str, str]]:
    """Put each problem on its field and return the error summary's list (text and link)."""
    summary = []
    for problem in problems:
        name = field_names(problem.target)[problem.part]
        field = form[name]
        field.errors = [*field.errors, problem.message]
        anchor = name
        criterion = definition.criterion(problem.target)
        if problem.part == "answer" and criterion is not None and criterion.type == "date":
            anchor = f"{name}-day"
        summary.append({"text": problem.message, "href": f"#{anchor}"})
    return summary
