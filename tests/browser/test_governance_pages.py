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


def test_an_admin_adds_renames_and_merges_teams_on_accessible_pages(
    new_page, assert_accessible
) -> None:
    page: Page = new_page()
    sign_in(page, ADMIN.email, ADMIN.password)
    page.goto("/admin/teams")
    assert_accessible(page, "teams list")
    for name in ("Browser East (synthetic)", "Browser West (synthetic)"):
        page.get_by_role("button", name="Add a team").click()
        page.get_by_label("Team name").fill(name)
        page.get_by_role("button", name="Add team").click()
        expect(page.get_by_text(f"{name} added.")).to_be_visible()

    page.get_by_role("link", name="Rename Browser West (synthetic)").click()
    page.get_by_label("Team name").fill("Browser East (synthetic)")
    page.get_by_role("button", name="Rename team").click()
    assert_accessible(page, "rename page with an error")
    page.get_by_label("Team name").fill("Browser North (synthetic)")
    page.get_by_role("button", name="Rename team").click()
    expect(page.locator("#teams")).to_contain_text("Browser North (synthetic)")

    page.get_by_role("link", name="Merge Browser East (synthetic) into another team").click()
    assert_accessible(page, "merge page")
    page.get_by_label("Merge into").select_option(label="Browser North (synthetic)")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "merge confirmation")
    expect(page.locator("#what-moves")).to_contain_text("Cases")
    page.get_by_role("button", name="Merge teams").click()
    expect(page.locator("#teams tr", has_text="Browser East")).to_contain_text("Retired")

    page.get_by_role("link", name="Retire Browser North (synthetic)").click()
    assert_accessible(page, "retire page")
