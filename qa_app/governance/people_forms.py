"""Forms for people and for changing one's own password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from qa_app.models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class PersonForm(FlaskForm):
    display_name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the person's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, widget=GovSelect())
    team = SelectField("Team", widget=GovSelect())
    submit = SubmitField("Save", widget=GovSubmitInput())


class AddPersonForm(PersonForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the person's work email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    password = PasswordField(
        "One-time password",
        description="Give it to them in person or by phone. They must change it when they first "
        "sign in. At least 12 characters: three random words work well.",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a one-time password")],
    )
    submit = SubmitField("Add person", widget=GovSubmitInput())


class DeactivateForm(FlaskForm):
    reassign_to = SelectField(
        "Who takes their open audits and actions",
        description="Audits not yet submitted and open actions move to this person. Submitted "
        "audits and the history stay as they are.",
        widget=GovSelect(),
    )
    submit = SubmitField("Deactivate", widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New one-time password",
        description="They must change it when they next sign in; their sessions end now.",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a one-time password")],
    )
    submit = SubmitField("Reset password", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your current password")],
    )
    new_password = PasswordField(
        "New password",
        description="At least 12 characters. Three random words work well.",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter the new password again"),
            EqualTo("new_password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
