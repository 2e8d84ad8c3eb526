"""In Chromium: pages run under the Content-Security-Policy without a single violation, and an
autosave whose token went stale (the auditor signed in again in another tab) still saves."""

from __future__ import annotations

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import AuditFormPage, StartAuditPage, another_team, sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

AUDITOR = next(login for login in DEMO_LOGINS if login.role == Role.AUDITOR)


def test_an_autosave_with_a_stale_token_gets_a_fresh_one_and_nothing_is_lost(new_page) -> None:
    page: Page = new_page()
    policy_messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            policy_messages.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in(page, AUDITOR.email, AUDITOR.password)
    start = StartAuditPage(page)
    start.open_from_my_audits()
    start.start("Front door", "SYN-BROWSER-CSP", another_team(AUDITOR.team))
    form = AuditFormPage(page)
    page.goto(form.section_links()[0])
    # GOV.UK Frontend's components started: the nonced inline script and app.js both ran.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )

    # In another tab the auditor signs out and in again: this page's token is now stale.
    other = page.context.new_page()
    other.goto("/audits/")
    other.get_by_role("button", name="Sign out").click()
    sign_in(other, AUDITOR.email, AUDITOR.password)
    other.close()

    box = form.first_shown_rationale_box()
    name = box.get_attribute("name")
    box.fill("Synthetic text typed on a page opened before signing in again.")
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "Draft saved automatically", timeout=15_000
    )
    page.reload()
    expect(form.field(name)).to_have_value(
        "Synthetic text typed on a page opened before signing in again."
    )
    assert not policy_messages, policy_messages
