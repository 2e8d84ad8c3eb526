"""Forms for teams: a name (adding and renaming), merging into another, retiring."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class TeamNameForm(FlaskForm):
    name = StringField(
        "Team name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the team's name"),
            Length(max=120, message="Team name must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class MergeTeamForm(FlaskForm):
    into = SelectField(
        "Merge into",
        description="The team that takes over this team's cases, audits, people and concerns.",
        widget=GovSelect(),
        validators=[DataRequired(message="Select the team to merge into")],
    )
    # Set on the confirmation page: the first post shows what would move, the second moves it.
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RetireTeamForm(FlaskForm):
    people_to = SelectField(
        "Which team its people join",
        description="They keep their role, audits and actions. A manager with no team sees "
        "every team's audits, so a team with managers needs a team for them.",
        widget=GovSelect(),
    )
    submit = SubmitField("Retire team", widget=GovSubmitInput())
