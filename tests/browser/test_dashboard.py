"""The dashboard in Chromium: every panel passes axe, filters travel in the URL, a finding opens,
a leader lands on it with small numbers suppressed, and it prints without the menus."""

from __future__ import annotations

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

LOGINS = {login.role: login for login in DEMO_LOGINS}


def test_a_manager_reads_the_dashboard_filters_it_and_opens_a_finding(
    new_page, assert_accessible
) -> None:
    page: Page = new_page()
    manager = LOGINS[Role.MANAGER]
    sign_in(page, manager.email, manager.password)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("#grade-profile .app-summary")).to_contain_text("good or better")
    expect(page.locator("#trend svg[role=img]")).to_be_attached()
    assert_accessible(page, "dashboard")

    page.get_by_label("Team", exact=True).select_option(label="Child Protection East (synthetic)")
    page.get_by_label("Period", exact=True).select_option("6")
    page.get_by_role("button", name="Show figures").click()
    assert "team=" in page.url and "period=6" in page.url
    expect(page.locator("#teams tbody th")).to_have_count(1)
    assert_accessible(page, "dashboard for one team")

    page.get_by_role("link", name="Strategy meeting actions have explicit timescales").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategy meeting actions")
    assert_accessible(page, "a finding's criteria")

    page.goto("/insight?period=custom&from-month=13&from-year=2026&to-month=1&to-year=2026")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the first month")
    assert page.title().startswith("Error: Dashboard")
    assert_accessible(page, "dashboard with a filter error")


def test_a_leader_lands_on_the_dashboard_and_it_prints_without_menus(
    new_page, assert_accessible
) -> None:
    page: Page = new_page()
    leader = LOGINS[Role.LEADER]
    sign_in(page, leader.email, leader.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator(".govuk-inset-text")).to_contain_text("fewer than 5")
    assert_accessible(page, "leader's dashboard")
    page.emulate_media(media="print")
    expect(page.locator(".app-insight-filters")).to_be_hidden()
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator("#heat-map table")).to_be_visible()
