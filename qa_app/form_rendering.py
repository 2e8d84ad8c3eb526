"""GOV.UK form widgets rendered straight from their templates.

govuk-frontend-wtf renders every field through ``flask.render_template``, which runs every
context processor (the navigation, the open-concern count query and so on) once per field: a
section of the audit form ran them thirty times per page, and the *All audits* filters ten.
A widget's template reads nothing but its ``params``, so it is rendered directly from the app's
Jinja environment instead: the same template, the same markup, none of the per-page work.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from govuk_frontend_wtf.gov_form_base import GovFormBase
from markupsafe import Markup


def _render_widget(widget: GovFormBase, params: dict[str, Any]) -> Markup:
    template = current_app.jinja_env.get_template(widget.template)
    return Markup(template.render(params=params))


def init_app(app: Flask) -> None:
    """Render GOV.UK widgets without running the page's context processors per field."""
    GovFormBase.render = _render_widget
