"""Forms: an action, a safeguarding concern, a response to one, and the action list filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
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
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError

from qa_app.audits.responses import parse_date_parts
from qa_app.follow_up.operations import ActionDetails
from qa_app.models import ActionPriority, ActionScope, ActionStatus, Role, User

DESCRIPTION_MAX = 2000
CONCERN_MAX = 5000
ROLE_MAX = 120

PRIORITY_LABELS = {
    ActionPriority.HIGH.value: "High",
    ActionPriority.MEDIUM.value: "Medium",
    ActionPriority.LOW.value: "Low",
}
SCOPE_LABELS = {
    ActionScope.CASE.value: "This child's case",
    ActionScope.SERVICE.value: "Service-wide learning point",
}
STATUS_LABELS = {ActionStatus.OPEN.value: "Open", ActionStatus.DONE.value: "Done"}


class DateInputField(Field):
    """A GOV.UK day/month/year date input that keeps the three parts exactly as typed."""

    widget = GovDateInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [str(v) for v in valuelist[:3]]
        self.raw_data = parts + [""] * (3 - len(parts))
        self.data, self.problem = parse_date_parts(*self.raw_data)

    def pre_validate(self, form: Any) -> None:
        problem = getattr(self, "problem", None)
        if problem:
            raise StopValidation(f"{self.label.text} {problem}")

    def _value(self) -> str:
        return ""


class ActionForm(FlaskForm):
    """An action: what must happen, its owner (a person or a role), due date, priority, scope.

    Set ``today`` before validating; set ``saved_due_date`` when changing an existing action, so
    an action that is already overdue can still be changed without moving its date.
    """

    description = TextAreaField(
        "What must happen",
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message="Enter what must happen"),
            Length(
                max=DESCRIPTION_MAX,
                message=f"What must happen must be {DESCRIPTION_MAX:,} characters or fewer",
            ),
        ],
    )
    owner_user_id = SelectField("Person", widget=GovSelect(), coerce=str, validate_choice=False)
    owner_role = StringField(
        "Role",
        description="Only when the person is not known yet, for example Team manager",
        widget=GovTextInput(),
        validators=[Length(max=ROLE_MAX, message=f"Role must be {ROLE_MAX} characters or fewer")],
    )
    due_date = DateInputField("Due date")
    priority = RadioField(
        "Priority",
        choices=[SelectChoice(value, label) for value, label in PRIORITY_LABELS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a priority")],
    )
    scope = RadioField(
        "Is this action for this child's case or for the wider service?",
        choices=[SelectChoice(value, label) for value, label in SCOPE_LABELS.items()],
        widget=GovRadioInput(),
        validators=[
            InputRequired(
                message="Select whether the action is for this child's case or the wider service"
            )
        ],
    )
    # When the action was last saved, as the page saw it: a save from a stale page is refused.
    seen_version = HiddenField()
    save = SubmitField("Add action", widget=GovSubmitInput())

    today: date
    saved_due_date: date | None = None

    def set_owner_choices(self, users: list[User]) -> None:
        """Offer these users as owners."""
        self.owner_user_id.choices = [SelectChoice("", "Select a person")] + [
            SelectChoice(str(user.id), owner_label(user)) for user in users
        ]

    def validate_owner_user_id(self, field: SelectField) -> None:
        role = (self.owner_role.data or "").strip()
        if not field.data and not role:
            raise ValidationError("Select the person who owns this action, or enter a role")
        offered = {str(choice.value) for choice in field.choices or []}
        if field.data and field.data not in offered:
            raise ValidationError("Select a person from the list")

    def validate_owner_role(self, field: StringField) -> None:
        if self.owner_user_id.data and (field.data or "").strip():
            raise ValidationError("Select a person or enter a role, not both")

    def validate_due_date(self, field: DateInputField) -> None:
        if field.data is None:
            raise ValidationError("Enter the due date")
        if field.data < self.today and field.data != self.saved_due_date:
            raise ValidationError("The due date must be today or in the future")

    def details(self) -> ActionDetails:
        """Return what the (valid) form holds."""
        return ActionDetails(
            description=self.description.data or "",
            owner_user_id=int(self.owner_user_id.data) if self.owner_user_id.data else None,
            owner_role=(self.owner_role.data or "").strip() or None,
            due_date=self.due_date.data,
            priority=self.priority.data,
            scope=self.scope.data,
        )

    def example_due_date(self) -> str:
        """Return the hint for the due date: an example four weeks ahead."""
        example = self.today + timedelta(days=28)
        return f"For example, {example.day} {example.month} {example.year}"


class ActionStatusForm(FlaskForm):
    """Mark an action done, or reopen it (the button pressed says which)."""

    complete = SubmitField("Mark as done", widget=GovSubmitInput())
    reopen = SubmitField("Reopen action", widget=GovSubmitInput())


class ConcernForm(FlaskForm):
    description = TextAreaField(
        "Describe your concern",
        description="Say what you found in the record and why the child may be at risk. Use the "
        "case reference, never the child's name.",
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message="Enter a description of your concern"),
            Length(
                max=CONCERN_MAX,
                message=f"Your concern must be {CONCERN_MAX:,} characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Raise concern", widget=GovSubmitInput())


class AcknowledgeConcernForm(FlaskForm):
    response = TextAreaField(
        "What was done",
        description="For example, who was contacted, what was checked and what happens next.",
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message="Enter what was done about this concern"),
            Length(
                max=CONCERN_MAX,
                message=f"What was done must be {CONCERN_MAX:,} characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Acknowledge concern", widget=GovSubmitInput())


class ActionFilterForm(FlaskForm):
    """The action list's filters, read from the query string (a GET form needs no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[
            SelectChoice("open", "Open"),
            SelectChoice("done", "Done"),
            SelectChoice("all", "All"),
        ],
        default="open",
    )
    scope = SelectField(
        "For",
        widget=GovSelect(),
        choices=[SelectChoice("", "Cases and the wider service")]
        + [SelectChoice(value, label) for value, label in SCOPE_LABELS.items()],
        default="",
    )

    def chosen_status(self) -> str | None:
        """Return the status to filter by (None for all); an unknown value means open."""
        value = self.status.data if self.status.data in ("open", "done", "all") else "open"
        return None if value == "all" else value

    def chosen_scope(self) -> str | None:
        """Return the scope to filter by, or None for both."""
        return self.scope.data if self.scope.data in SCOPE_LABELS else None


def owner_label(user: User) -> str:
    """Return how a person is shown in the owner list: name, role and team."""
    team = f", {user.team.name}" if user.team is not None else ""
    return f"{user.display_name} ({Role(user.role).label}{team})"


def error_summary(form: FlaskForm) -> list[dict[str, str]]:
    """Return the error summary's list, each link pointing at the field to fix (a date input's
    day box)."""
    summary = []
    for field in form:
        if field.errors:
            anchor = f"{field.id}-day" if isinstance(field, DateInputField) else field.id
            summary.append({"text": field.errors[0], "href": f"#{anchor}"})
    return summary
