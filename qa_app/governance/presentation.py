"""Small helpers the governance pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from qa_app.extensions import db
from qa_app.governance.people_operations import PeopleProblem

T = TypeVar("T")


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


def committed(change: Callable[[], T], field: Any) -> tuple[bool, T | None]:
    """Run an administrator's change of people or teams. Refused (a ``PeopleProblem``): roll it
    back and show why on ``field``. Otherwise commit it. Return whether it was saved, and what
    ``change`` returned."""
    try:
        result = change()
    except PeopleProblem as problem:
        db.session.rollback()
        field.errors.append(str(problem))
        return False, None
    db.session.commit()
    return True, result
