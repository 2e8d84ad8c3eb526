"""The preview of a template version: the real audit form, every input disabled.

The section pages and the overall judgement are built with the same form classes and question
views as the audit pages, so the preview shows exactly what an auditor sees, with each
question's settings beside it. Nothing is posted: there is no form element and no button.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qa_app.audits.forms import build_overall_form_class, build_section_form_class
from qa_app.audits.presentation import audit_page_context
from qa_app.audits.responses import judgement_key
from qa_app.models import TemplateVersion
from qa_app.template_admin.settings_text import (
    criterion_settings,
    judgement_settings,
    limit_name,
    template_settings,
)


def preview_context(version: TemplateVersion) -> dict[str, Any]:
    """Return the preview page's context: section forms, question views and their settings."""
    definition = version.definition
    # No audit and no answers: the same views the audit pages use, as a blank audit shows them.
    page = audit_page_context(None, definition, None, {}, [])  # type: ignore[arg-type]
    # Every question is shown: a question that depends on an earlier answer says so in its
    # settings instead of being hidden by the page script.
    sections = [
        replace(
            section,
            questions=[replace(q, show_if_json=None) for q in section.questions],
        )
        for section in page["sections"]
    ]
    settings: dict[str, Any] = {}
    for section in definition.sections:
        for criterion in section.criteria:
            settings[criterion.key] = criterion_settings(definition, criterion)
        if section.judgement is not None:
            settings[judgement_key(section.key)] = judgement_settings(definition, section.judgement)
    no_csrf = {"csrf": False}  # read-only: these forms are never posted
    return {
        "version": version,
        "definition": definition,
        "sections": sections,
        "section_forms": {
            s.key: build_section_form_class(definition, s.key)(meta=no_csrf)
            for s in definition.sections
        },
        "overall_form": build_overall_form_class(definition)(meta=no_csrf),
        "settings": settings,
        "overall_settings": judgement_settings(
            definition, definition.overall, definition.limited_by
        ),
        "template_settings": template_settings(definition),
        "limiting_names": [limit_name(definition, key) for key in definition.limited_by],
        "description_paragraphs": [
            " ".join(p.split()) for p in definition.description.split("\n\n") if p.strip()
        ],
    }
