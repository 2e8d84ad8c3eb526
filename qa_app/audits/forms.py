"""Forms: starting an audit, and the audit form built from a template definition.

The audit form's fields carry no validators of their own: the template's rules are checked by the
domain (``rules.py``) so the same rules hold in the web form, the CLI and the tests. The form maps
what was posted to :class:`Responses` and puts the problems found back on its fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
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
from qa_app.audits.text_limits import TEXT_MAX, too_long_message
from qa_app.form_rendering import RememberedWidget
from qa_app.template_format.definition import NOT_APPLICABLE, Criterion, TemplateDefinition

RATIONALE_MAX = TEXT_MAX


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

    def process_data(self, value: Any) -> None:
        # A draft may hold a date as typed ("31 2 2026") when it was not a real date.
        if isinstance(value, (list, tuple)):
            self.raw_data = [str(v) for v in value][:3]
            self.data = None
        else:
            self.data = value

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
        return {
            "answer": "overall",
            "rationale": "overall_rationale",
            "override": "override_reason",
        }
    if key.endswith(".judgement"):
        section = key.removesuffix(".judgement")
        return {"answer": f"judgement__{section}", "rationale": f"rationale__{section}__judgement"}
    return {"answer": f"answer__{key}", "rationale": f"rationale__{key}"}


def build_section_form_class(definition: TemplateDefinition, section_key: str) -> type[FlaskForm]:
    """Return a FlaskForm class with a field for every question in one section."""
    section = next(s for s in definition.sections if s.key == section_key)
    fields: dict[str, Any] = {"lock_version": HiddenField(), "held_token": HiddenField()}
    for criterion in section.criteria:
        fields[answer_field(criterion)] = _criterion_field(definition, criterion)
        fields[rationale_field(criterion.key)] = _rationale_box("Your reasons and evidence")
    if section.judgement is not None:
        names = field_names(judgement_key(section.key))
        fields[names["answer"]] = _scale_radios(
            definition, section.judgement.question, section.judgement.scale, section.judgement.hint
        )
        fields[names["rationale"]] = _rationale_box("Your reasons for this section's grade")
    fields["action_continue"] = SubmitField("Save and continue", widget=GovSubmitInput())
    fields["action_save"] = SubmitField("Save draft", widget=GovSubmitInput())
    return type("SectionForm", (FlaskForm,), fields)


def build_overall_form_class(definition: TemplateDefinition) -> type[FlaskForm]:
    """Return a FlaskForm class for the overall judgement and its override reason."""
    fields: dict[str, Any] = {
        "lock_version": HiddenField(),
        "held_token": HiddenField(),
        "overall": _scale_radios(
            definition,
            definition.overall.question,
            definition.overall.scale,
            definition.overall.hint,
        ),
        "overall_rationale": _rationale_box("Your reasons for the overall judgement"),
        "override_reason": _rationale_box(
            "Reason the overall judgement is better than a limiting answer"
        ),
        "action_continue": SubmitField("Save and continue", widget=GovSubmitInput()),
        "action_save": SubmitField("Save draft", widget=GovSubmitInput()),
    }
    return type("OverallForm", (FlaskForm,), fields)


class PracticeForm(FlaskForm):
    lock_version = HiddenField()
    held_token = HiddenField()
    with_practitioner = RadioField(
        "Was the audit done with the allocated worker?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    practitioner_reflection = TextAreaField(
        "The worker's reflection",
        description="What the worker said about the case and what they would do differently.",
        widget=GovCharacterCount(),
        validators=[
            Length(max=TEXT_MAX, message=too_long_message("The worker's reflection")),
        ],
    )
    family_feedback_sought = RadioField(
        "Was the family's feedback sought?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    family_feedback = TextAreaField(
        "The family's feedback",
        description="What the child or family said about the help they received. "
        "Use roles, not names.",
        widget=GovCharacterCount(),
        validators=[Length(max=TEXT_MAX, message=too_long_message("The family's feedback"))],
    )
    action_continue = SubmitField("Save and continue", widget=GovSubmitInput())
    action_save = SubmitField("Save draft", widget=GovSubmitInput())


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
                widget=RememberedWidget(GovCheckboxesInput()),
                validate_choice=False,
            )
        case "date":
            return DatePartsField(
                criterion.question, description=criterion.hint or "For example, 27 3 2026"
            )
        case "number":
            return StringField(
                criterion.question, description=criterion.hint, widget=GovTextInput()
            )
        case _:
            return TextAreaField(
                criterion.question,
                description=criterion.hint,
                widget=RememberedWidget(GovCharacterCount()),
            )


def _scale_radios(
    definition: TemplateDefinition, question: str, scale_key: str, hint: str, allow_na: bool = False
) -> RadioField:
    choices = [SelectChoice(o.value, o.label) for o in definition.scale(scale_key).options]
    if allow_na:
        choices.append(SelectChoice(NOT_APPLICABLE, "Not applicable"))
    return RadioField(
        question,
        description=hint,
        choices=choices,
        widget=RememberedWidget(GovRadioInput()),
        validate_choice=False,
    )


def _rationale_box(label: str) -> TextAreaField:
    return TextAreaField(label, widget=RememberedWidget(GovCharacterCount()))


def form_data_from_responses(
    definition: TemplateDefinition, responses: Responses, override_reason: str
) -> dict[str, Any]:
    """Return the form's initial data for stored responses."""
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
                data[names["answer"]] = (response.value.split(" ") + ["", "", ""])[:3]
        else:
            data[names["answer"]] = response.value
        data[names["rationale"]] = response.rationale
    return data


def responses_from_form(
    definition: TemplateDefinition, form: FlaskForm
) -> tuple[Responses, list[Problem]]:
    """Return the responses the form holds (only its own questions) and any date problems.

    A date that is not a real date is kept as typed ("31 2 2026") so nothing is lost.
    """
    responses: Responses = {}
    problems: list[Problem] = []

    def text(name: str) -> str:
        return (form[name].data or "") if name in form else ""

    for criterion in definition.criteria():
        names = field_names(criterion.key)
        if names["answer"] not in form:
            continue
        field = form[names["answer"]]
        response = Response(rationale=text(names["rationale"]))
        if criterion.type == "tags":
            response.tags = [str(v) for v in (field.data or [])]
        elif criterion.type == "date":
            parts = field.parts()
            parsed, problem = parse_date_parts(*parts)
            if problem:
                problems.append(Problem(criterion.key, "answer", f"{criterion.question} {problem}"))
                response.value = " ".join(p.strip() for p in parts)
            else:
                response.value = parsed.isoformat() if parsed else None
        else:
            response.value = field.data
        responses[criterion.key] = response
    for section in definition.sections:
        key = judgement_key(section.key)
        names = field_names(key)
        if section.judgement is not None and names["answer"] in form:
            responses[key] = Response(
                value=form[names["answer"]].data, rationale=text(names["rationale"])
            )
    if "overall" in form:
        responses[OVERALL] = Response(
            value=form["overall"].data, rationale=text("overall_rationale")
        )
    return responses, problems


def merge_problems(first: list[Problem], second: list[Problem]) -> list[Problem]:
    """Return the problems of both lists, one per box (the first list's message wins)."""
    seen = {(p.target, p.part) for p in first}
    return first + [p for p in second if (p.target, p.part) not in seen]


def attach_problems(
    definition: TemplateDefinition, form: FlaskForm, problems: list[Problem]
) -> list[dict[str, str]]:
    """Put each problem on its field and return the error summary's list (text and link)."""
    summary = []
    for problem in problems:
        name = field_names(problem.target)[problem.part]
        if name not in form:
            continue
        field = form[name]
        field.errors = [*field.errors, problem.message]
        anchor = name
        criterion = definition.criterion(problem.target)
        if problem.part == "answer" and criterion is not None and criterion.type == "date":
            anchor = f"{name}-day"
        summary.append({"text": problem.message, "href": f"#{anchor}"})
    return summary
