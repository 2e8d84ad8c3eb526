"""People, logs, retention and data protection pages: a leaver's journey, and axe on each page."""

from __future__ import annotations

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role == Role.ADMIN)
COLLEAGUE_PASSWORD = "kettle orchard lantern"


def test_an_admin_adds_moves_and_deactivates_a_colleague_on_accessible_pages(
    new_page, assert_accessible
) -> None:
    page: Page = new_page()
    sign_in(page, ADMIN.email, ADMIN.password)
    for url in (
        "/admin/access-log",
        "/admin/access-log?date_from=31/02/2026",
        "/admin/event-log",
        "/admin/retention",
        "/admin/data-protection",
        "/account",
        "/admin/people",
    ):
        page.goto(url)
        assert_accessible(page, url)

    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Name").fill("Robin Browser (synthetic)")
    page.get_by_label("Email address").fill("robin.browser@example.org")
    page.get_by_label("Role").select_option("auditor")
    page.get_by_label("One-time password").fill(COLLEAGUE_PASSWORD)
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_text("Robin Browser (synthetic) added.")).to_be_visible()

    page.get_by_role("link", name="Robin Browser (synthetic)").click()
    assert_accessible(page, "a person's page")
    team = page.get_by_label("Team").locator("option").nth(1).inner_text()
    page.get_by_label("Team").select_option(label=team)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#people tr", has_text="Robin Browser")).to_contain_text(team)

    page.get_by_role("link", name="Robin Browser (synthetic)").click()
    page.get_by_role("link", name="Deactivate").click()
    assert_accessible(page, "deactivate page")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator("#people tr", has_text="Robin Browser")).to_contain_text("Deactivated")
