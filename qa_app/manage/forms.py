from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length


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
