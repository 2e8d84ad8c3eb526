"""GET forms that filter the access log and the event log (no CSRF token: they change nothing)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from qa_app.cases.case_values import parse_date
from qa_app.governance.filters import DateRange

DATE_HINT = "For example, 3 March 2026 or 3/3/2026"


def _valid_date(form: FlaskForm, field: StringField) -> None:
    if field.data and field.data.strip():
        try:
            parse_date(field.data.strip())
        except ValueError:
            raise ValidationError(
                f"{field.label.text} must be a real date, like 3 March 2026"
            ) from None


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField("Person", widget=GovSelect(), validators=[Optional()], coerce=str)
    date_from = StringField(
        "From", description=DATE_HINT, widget=GovTextInput(), validators=[_valid_date]
    )
    date_to = StringField(
        "To (inclusive)", description=DATE_HINT, widget=GovTextInput(), validators=[_valid_date]
    )
    submit = SubmitField("Show", widget=GovSubmitInput())

    def validate_date_to(self, field: StringField) -> None:
        dates = self.date_range() if not self.date_from.errors else DateRange()
        if dates.start and dates.end and dates.end < dates.start:
            raise ValidationError("To must be the same as or after From")

    def date_range(self) -> DateRange:
        """Return the dates entered (call after validation)."""

        def parsed(field: StringField):
            text = (field.data or "").strip()
            try:
                return parse_date(text) if text else None
            except ValueError:
                return None

        return DateRange(parsed(self.date_from), parsed(self.date_to))

    def user_id(self) -> int | None:
        return int(self.user.data) if self.user.data and self.user.data.isdigit() else None


class AccessLogFilterForm(LogFilterForm):
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=64, message="Case reference must be 64 characters or fewer"),
        ],
    )


class EventLogFilterForm(LogFilterForm):
    action = SelectField("What happened", widget=GovSelect(), validators=[Optional()])
    audit = StringField(
        "Audit number",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=12, message="Audit number must be 12 digits or fewer")],
    )

    def validate_audit(self, field: StringField) -> None:
        if field.data and not field.data.strip().isdigit():
            raise ValidationError("Audit number must be a number, like 42")

    def audit_id(self) -> int | None:
        text = (self.audit.data or "").strip()
        return int(text) if text.isdigit() else None
