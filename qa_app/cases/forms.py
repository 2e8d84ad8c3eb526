"""The case list upload form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import Length, Optional

# Excel allows sheet names of up to 31 characters.
SHEET_NAME_MAX = 31


class ImportCasesForm(FlaskForm):
    file = FileField(
        "Case list file",
        description="A CSV file (.csv) or an Excel workbook (.xlsx), with the column headings in "
        "row 1 and one case per row.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a case list file")],
    )
    sheet = StringField(
        "Sheet name (optional)",
        description="Only needed when the workbook has more than one sheet with data in it.",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(
                max=SHEET_NAME_MAX,
                message=f"Sheet name must be {SHEET_NAME_MAX} characters or fewer",
            ),
        ],
    )
    create_teams = BooleanField(
        "Create teams that do not exist yet",
        description="Leave this unticked to have the import refused if the file names a team "
        "that is not already set up, for example because of a spelling mistake.",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Import case list", widget=GovSubmitInput())
