"""The order of an audit's pages and where each save goes next."""

from __future__ import annotations

from flask import abort, url_for

from qa_app.models import Audit
from qa_app.template_format.definition import Section, TemplateDefinition

OVERALL_PAGE = "overall"
PRACTICE_PAGE = "practice"


def section_or_404(definition: TemplateDefinition, key: str) -> Section:
    """Return the template's section with this key, or stop with 404."""
    for section in definition.sections:
        if section.key == key:
            return section
    abort(404)


def page_url(audit_id: int, page: str) -> str:
    """Return the URL of one of the audit's pages (a section key, practice or overall)."""
    if page == OVERALL_PAGE:
        return url_for("audits.overall", audit_id=audit_id)
    if page == PRACTICE_PAGE:
        return url_for("audits.practice", audit_id=audit_id)
    return url_for("audits.section", audit_id=audit_id, section_key=page)


def next_page_url(audit: Audit, page: str) -> str:
    """Return the page after this one: the next section, then the practitioner and family page,
    then the overall judgement, then the task list."""
    keys = [s.key for s in audit.template_version.definition.sections]
    if page in keys:
        position = keys.index(page)
        if position + 1 < len(keys):
            return page_url(audit.id, keys[position + 1])
        return page_url(audit.id, PRACTICE_PAGE)
    if page == PRACTICE_PAGE:
        return page_url(audit.id, OVERALL_PAGE)
    return url_for("audits.edit", audit_id=audit.id)
