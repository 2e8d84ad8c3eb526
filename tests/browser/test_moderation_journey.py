"""Moderation in Chromium: an auditor submits an audit, the admin sets the rule and draws it for
moderation, takes it, agrees with every grade but one which they change with a reason, and
completes; the auditor sees both grades and responds; the admin closes the audit. Every new page
is checked with axe-core."""

from __future__ import annotations

import re

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import AuditFormPage, StartAuditPage, another_team, sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role == Role.ADMIN)
AUDITOR = next(login for login in DEMO_LOGINS if login.role == Role.AUDITOR)
REFERENCE = "SYN-MODERATE-1"
REASON = "Synthetic reason: the plan has no timescales, so this is not yet good."


def test_an_audit_is_drawn_moderated_with_one_change_answered_and_closed(
    new_page, assert_accessible
) -> None:
    # The auditor submits an audit.
    auditor: Page = new_page()
    sign_in(auditor, AUDITOR.email, AUDITOR.password)
    start = StartAuditPage(auditor)
    start.open_from_my_audits()
    audit_id = start.start("Front door", REFERENCE, another_team(AUDITOR.team))
    form = AuditFormPage(auditor)
    form.fill_every_page(audit_id)
    form.choose_first_overall_judgement()
    form.save_and_continue()
    form.submit()
    expect(auditor.locator(".govuk-notification-banner--success")).to_contain_text("submitted")

    # The admin moderates every audit outside rounds, blind off, and draws.
    admin: Page = new_page()
    sign_in(admin, ADMIN.email, ADMIN.password)
    admin.get_by_role("link", name="Moderation", exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    assert_accessible(admin, "the moderation queue")
    admin.get_by_role("link", name="Moderation rules and draws").click()
    assert_accessible(admin, "the moderation rules")
    admin.get_by_role("link", name="Audits started outside a round").click()
    assert_accessible(admin, "a moderation rule")
    admin.get_by_label("Percentage of each auditor's submitted audits").fill("100")
    admin.get_by_role("button", name="Save rule").click()
    expect(admin.locator(".govuk-notification-banner--success")).to_contain_text("rule saved")
    admin.get_by_label("Seed (optional)").fill("2026")
    admin.get_by_role("button", name="Draw audits for moderation").click()
    expect(admin.locator(".govuk-notification-banner--success")).to_contain_text("seed 2026")
    assert_accessible(admin, "a moderation rule after a draw")

    # It is in the queue; the admin takes it and agrees with every grade but the overall one.
    # Oldest first: the demo's year of audits was drawn too, so the new one is on a later page.
    row = admin.locator("#moderation-queue tbody tr", has_text=REFERENCE)
    for number in range(1, 100):
        admin.goto(f"/moderation/queue?page={number}")
        if row.count():
            break
    expect(row).to_have_count(1)
    row.get_by_role("button", name=re.compile("Take")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        f"Moderate the audit of case {REFERENCE}"
    )
    assert_accessible(admin, "the moderation task list")
    links = [link.get_attribute("href") for link in admin.locator(".govuk-task-list a").all()]
    for href in links:
        admin.goto(href)
        for radio in admin.locator('input[type="radio"][value="agree"]').all():
            radio.check()
        if href.endswith("/overall"):
            assert_accessible(admin, "a moderation page")
            admin.locator('input[type="radio"]:not([value="agree"])').first.check()
            admin.locator('textarea[name="reason__overall"]').fill(REASON)
        admin.get_by_role("button", name="Save and continue").click()
        expect(admin.get_by_role("heading", level=1)).to_have_text(
            f"Moderate the audit of case {REFERENCE}"
        )
    admin.get_by_role("button", name="Complete moderation").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Moderation of case {REFERENCE}")
    expect(admin.locator("#moderation-outcome")).to_contain_text(REASON)
    assert_accessible(admin, "the moderation outcome")

    # The auditor sees both grades and responds.
    auditor.goto(f"/audits/{audit_id}/view")
    expect(auditor.locator("#final-grade")).to_contain_text("Changed by the moderator")
    assert_accessible(auditor, "the auditor's view of a moderated audit")
    auditor.get_by_role("link", name="See the moderator's grades and reasons").click()
    expect(auditor.locator("#moderation-outcome .govuk-tag")).to_have_count(1)
    auditor.get_by_label("Yes, I agree").check()
    auditor.get_by_role("button", name="Send response").click()
    expect(auditor.locator("#moderation-response")).to_contain_text("agrees")
    assert_accessible(auditor, "the outcome after responding")

    # The admin closes the audit; its history shows every step.
    admin.reload()
    admin.get_by_role("button", name="Close the audit").click()
    expect(admin.locator(".govuk-summary-list")).to_contain_text("Closed")
    admin.goto(f"/manage/audits/{audit_id}")
    history = admin.locator("#audit-history")
    for step in ("Submitted", "Taken for moderation", "Moderated", "Auditor responded", "Closed"):
        expect(history).to_contain_text(step)
    assert_accessible(admin, "the audit page with its history")

    # The agreement page counts the moderation.
    admin.goto("/moderation/agreement")
    expect(admin.locator("#overall-agreement")).to_be_visible()
    assert_accessible(admin, "the moderation agreement page")
