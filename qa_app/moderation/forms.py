"""Forms: the moderator's grades for one page, the blind overall judgement, the rule, the draw,
picking and assigning, and the auditor's response."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from qa_app.moderation.grading import REASON_MAX, Decision
from qa_app.moderation.items import GradedItem
from qa_app.template_format.definition import Scale

AGREE = "agree"


def grade_field(key: str) -> str:
    """Return the form field name of an item's grade (keys may hold dots)."""
    return "grade__" + key.replace(".", "__")


def reason_field(key: str) -> str:
    return "reason__" + key.replace(".", "__")


def build_grades_form_class(items: list[GradedItem], *, blind_overall: bool) -> type[FlaskForm]:
    """Return a form with, per item, agree or a different grade, and the reason for a change.

    With ``blind_overall`` the overall judgement was committed blind: only its reason is asked.
    """
    fields: dict[str, Any] = {"lock_version": HiddenField()}
    for item in items:
        if not (blind_overall and item.key == "overall"):
            choices = [SelectChoice(AGREE, f"Agree: {item.label(item.auditor_value)}")] + [
                SelectChoice(option.value, f"Change to {option.label}")
                for option in item.scale.options
                if option.value != item.auditor_value
            ]
            fields[grade_field(item.key)] = RadioField(
                item.question, choices=choices, widget=GovRadioInput(), validate_choice=False
            )
        fields[reason_field(item.key)] = TextAreaField(
            "Reason for your grade",
            description="Required when you change the grade. The auditor reads it.",
            widget=GovCharacterCount(),
        )
    fields["action_continue"] = SubmitField("Save and continue", widget=GovSubmitInput())
    fields["action_save"] = SubmitField("Save draft", widget=GovSubmitInput())
    return type("ModerationGradesForm", (FlaskForm,), fields)


def decisions_from(form: FlaskForm, items: list[GradedItem]) -> dict[str, Decision]:
    """Return the decisions typed on the form, item by item (undecided ones too)."""
    decisions = {}
    for item in items:
        reason = form[reason_field(item.key)].data or ""
        name = grade_field(item.key)
        if name not in form:
            decisions[item.key] = Decision(True, None, reason)  # blind overall: decided already
            continue
        choice = form[name].data
        if not choice:
            decisions[item.key] = Decision(None, None, reason)
        elif choice == AGREE:
            decisions[item.key] = Decision(True, None, reason)
        else:
            decisions[item.key] = Decision(False, choice, reason)
    return decisions


def fill_from_saved(form: FlaskForm, items: list[GradedItem], saved: dict) -> None:
    """Put the saved decisions on a freshly opened form."""
    for item in items:
        grade = saved.get(item.key)
        if grade is None:
            continue
        name = grade_field(item.key)
        if name in form:
            form[name].data = AGREE if grade.agrees else grade.value
        form[reason_field(item.key)].data = grade.reason or ""


class BlindOverallForm(FlaskForm):
    overall = RadioField(
        "What is your overall judgement of this case?",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select your overall judgement")],
        validate_choice=False,
    )
    submit = SubmitField("Commit my judgement", widget=GovSubmitInput())

    def set_scale(self, scale: Scale) -> None:
        self.overall.choices = [SelectChoice(o.value, o.label) for o in scale.options]


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: for buttons that change something."""

    lock_version = HiddenField()


class AssignForm(FlaskForm):
    moderator_id = SelectField(
        "Give to",
        widget=GovSelect(),
        validators=[InputRequired(message="Select a moderator")],
        validate_choice=False,
    )
    submit = SubmitField("Give to moderator", widget=GovSubmitInput())


class ResponseForm(FlaskForm):
    agrees = RadioField(
        "Do you agree with the moderation?",
        choices=[SelectChoice("yes", "Yes, I agree"), SelectChoice("no", "No, I disagree")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether you agree with the moderation")],
    )
    comment = TextAreaField(
        "Your comments",
        description="Required if you disagree. The moderator and managers read this.",
        widget=GovCharacterCount(),
        validators=[
            Length(max=REASON_MAX, message=f"Comments must be {REASON_MAX} characters or fewer")
        ],
    )
    submit = SubmitField("Send response", widget=GovSubmitInput())


class RuleForm(FlaskForm):
    percent = StringField(
        "Percentage of each auditor's submitted audits",
        description="At least the minimum below is drawn for each auditor.",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the percentage to moderate")],
    )
    minimum_per_auditor = StringField(
        "Minimum audits per auditor",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the minimum number of audits per auditor")],
    )
    always_judgements = SelectMultipleField(
        "Always moderate audits with these overall judgements",
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    blind = BooleanField(
        "Blind moderation: the moderator gives the overall judgement before seeing the auditor's",
        widget=GovCheckboxInput(),
    )
    due_working_days = StringField(
        "Working days to moderate after submission",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the number of working days to moderate in")],
    )
    submit = SubmitField("Save rule", widget=GovSubmitInput())


class DrawForm(FlaskForm):
    seed = StringField(
        "Seed (optional)",
        description="Leave blank for a new random seed. The same seed gives the same draw.",
        widget=GovTextInput(),
        validators=[Optional()],
    )
    draw = SubmitField("Draw audits for moderation", widget=GovSubmitInput())
