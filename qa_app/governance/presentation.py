"""Small helpers the governance pages share."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def error_summary(form: FlaskForm) -> list[dict[str, str]]:
    """Return the error summary's items: each field's first error linking to the field."""
    items = []
    for field in form:
        if field.errors:
            items.append({"text": field.errors[0], "href": f"#{field.id}"})
    return items


def page_count(total: int, page_size: int) -> int:
    """Return how many pages a list of ``total`` rows fills (at least one)."""
    return max((total + page_size - 1) // page_size, 1)


def select_choices(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as the select choices WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]
