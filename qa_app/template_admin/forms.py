"""The template upload form, and the form that loads a checked file."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import HiddenField, SubmitField


class UploadTemplateForm(FlaskForm):
    file = FileField(
        "Template file",
        description="A template file (.yaml), or a workbook (.xlsx) downloaded from this page "
        "and edited in Excel. Nothing is loaded until you have seen what would change.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a template file")],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class LoadTemplateForm(FlaskForm):
    """Carries the checked template text (base64, so it arrives byte for byte) back for loading;
    everything is checked again before anything is stored."""

    filename = HiddenField()
    source = HiddenField()
    submit = SubmitField("Load this version", widget=GovSubmitInput())
