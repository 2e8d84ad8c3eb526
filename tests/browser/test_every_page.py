"""Every kind of page, for each role, passes axe-core's WCAG 2.2 AA checks in Chromium."""

from __future__ import annotations

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

LOGINS = {login.role: login for login in DEMO_LOGINS}

ADMIN_PAGES = [
    "/manage/audits",
    "/concerns",
    "/actions",
    "/admin/rounds",
    "/admin/rounds/new",
    "/admin/cases/",
    "/admin/cases/import",
    "/templates",
    "/templates/front-door/versions/1",
    "/templates/front-door/compare",
    "/templates/upload",
    "/menu/administration",
    "/menu/follow-up",
    "/no-such-page",
]


def first_link(page: Page, selector: str) -> str:
    """Return the href of the first link the selector finds on the current page."""
    link = page.locator(selector).first
    expect(link).to_be_attached()
    return link.get_attribute("href") or ""


def visit(page: Page, url: str, assert_accessible) -> None:
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page, url)


def test_every_admin_and_manager_page_is_accessible(new_page, assert_accessible) -> None:
    page: Page = new_page()
    admin = LOGINS[Role.ADMIN]
    sign_in(page, admin.email, admin.password)
    for url in ADMIN_PAGES:
        visit(page, url, assert_accessible)
    page.goto("/manage/audits")
    detail = first_link(page, "#audit-list tr:has-text('Submitted') a")
    visit(page, detail, assert_accessible)
    visit(page, detail + "/return", assert_accessible)
    audit_id = detail.rstrip("/").split("/")[-1]
    visit(page, f"/audits/{audit_id}/actions", assert_accessible)
    page.goto("/concerns")
    visit(page, first_link(page, "#open-concerns tbody a"), assert_accessible)


def test_every_auditor_page_is_accessible(new_page, assert_accessible) -> None:
    page: Page = new_page()
    auditor = LOGINS[Role.AUDITOR]
    sign_in(page, auditor.email, auditor.password)
    visit(page, "/audits/new", assert_accessible)
    page.goto("/audits/")
    overview = first_link(page, "#audits-draft a")
    for suffix in ("", "/practice", "/overall", "/actions", "/concern"):
        visit(page, overview + suffix, assert_accessible)
    page.goto(overview)
    visit(page, first_link(page, ".govuk-task-list a"), assert_accessible)
    page.goto("/audits/")
    visit(page, first_link(page, "#audits-submitted a"), assert_accessible)
