"""The month's cycle in Chromium: an admin imports a case list, draws and assigns a round; the
auditor finds the audit waiting and raises a safeguarding concern; a manager sees it at once and
acknowledges it. Every page visited is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role == Role.ADMIN)
AUDITOR = next(login for login in DEMO_LOGINS if login.role == Role.AUDITOR)
MANAGER = next(login for login in DEMO_LOGINS if login.role == Role.MANAGER)
NEW_TEAM = "Month Journey Team (synthetic)"

CASE_LIST = "\n".join(
    ["Case reference,Team,Case type,Allocated worker,Date opened"]
    + [
        f"SYN-MONTH-{n},{NEW_TEAM},{kind},Worker {n} (synthetic),01/0{1 + n % 8}/2026"
        for n, kind in enumerate(["Child in need", "Child protection", "CIN", "CP"] * 2, start=1)
    ]
)


def fill_date(page: Page, name: str, day: date) -> None:
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f'input[id="{name}-{part}"]').fill(str(value))


def test_a_round_is_drawn_assigned_and_a_concern_reaches_the_manager_at_once(
    new_page, assert_accessible, tmp_path: Path
) -> None:
    # The admin imports a case list, creating the team it names.
    admin: Page = new_page()
    sign_in(admin, ADMIN.email, ADMIN.password)
    admin.get_by_role("link", name="Administration").click()
    assert_accessible(admin, "the administration menu page")
    admin.get_by_role("link", name="Case lists").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Cases")
    admin.get_by_role("button", name="Import a case list").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Import a case list")
    assert_accessible(admin, "the case list import page")
    case_file = tmp_path / "cases.csv"
    case_file.write_text(CASE_LIST)
    admin.get_by_label("Case list file").set_input_files(case_file)
    admin.get_by_label("Create teams that do not exist yet").check()
    admin.get_by_role("button", name="Import case list").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Case list imported")
    assert_accessible(admin, "the import result")

    # The admin draws two cases per team for a round on the front door template, then assigns them.
    admin.get_by_role("link", name="Administration").click()
    admin.get_by_role("link", name="Audit rounds").click()
    assert_accessible(admin, "the audit rounds list")
    admin.get_by_role("button", name="Create a round").click()
    assert_accessible(admin, "the create round page")
    today = date.today()
    admin.get_by_label("Name of the round").fill("Month journey round (synthetic)")
    template = admin.get_by_label("Audit template")
    label = next(
        t for t in template.locator("option").all_text_contents() if t.startswith("Front door")
    )
    template.select_option(label=label)
    fill_date(admin, "period_start", today.replace(day=1))
    fill_date(admin, "period_end", today.replace(day=1) + timedelta(days=27))
    fill_date(admin, "due_date", today + timedelta(days=21))
    # Each number is revealed under the radio that needs it (GOV.UK conditional reveal).
    per_team = admin.locator('input[name="cases_per_team"]')
    percent = admin.locator('input[name="percent"]')
    expect(per_team).to_be_hidden()
    expect(percent).to_be_hidden()
    admin.get_by_label("Percentage of open cases per team").first.check()
    expect(percent).to_be_visible()
    expect(per_team).to_be_hidden()
    assert_accessible(admin, "the create round page with the percentage revealed")
    admin.get_by_label("Number of cases per team").first.check()
    expect(per_team).to_be_visible()
    expect(percent).to_be_hidden()
    per_team.fill("2")
    admin.get_by_role("button", name="Create round and preview the sample").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Month journey round (synthetic)")
    expect(admin.locator("body")).to_contain_text("SYN-MONTH-")
    assert_accessible(admin, "the sample preview")
    admin.get_by_role("button", name="Confirm this sample").click()
    assert_accessible(admin, "the confirmed round")
    admin.get_by_role("button", name="Spread evenly across auditors").click()
    expect(admin.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(admin, "the assigned round")

    # The auditor finds the assigned audits on their dashboard, due in three weeks.
    auditor: Page = new_page()
    sign_in(auditor, AUDITOR.email, AUDITOR.password)
    assigned = auditor.locator("#audits-assigned")
    expect(assigned).to_contain_text("SYN-MONTH-")
    assert_accessible(auditor, "the dashboard with assigned audits")
    assigned.get_by_role("link", name=re.compile(r"SYN-MONTH-")).first.click()
    expect(auditor.locator(".govuk-task-list")).to_be_visible()
    reference = auditor.get_by_role("heading", level=1).inner_text().removeprefix("Audit of case ")

    # Reading the file, the auditor finds a child at risk and raises a concern at once.
    auditor.get_by_role("link", name="Raise a safeguarding concern about this child now").click()
    assert_accessible(auditor, "the raise a concern page")
    auditor.get_by_role("textbox").first.fill(
        "Synthetic concern: no visit recorded for six weeks despite a child protection plan."
    )
    auditor.get_by_role("button", name="Raise concern").click()
    expect(auditor.get_by_role("heading", level=1)).to_have_text("Safeguarding concern raised")
    assert_accessible(auditor, "the concern confirmation")

    # The manager sees it straight away, on every page, until it is acknowledged.
    manager: Page = new_page()
    sign_in(manager, MANAGER.email, MANAGER.password)
    alert = manager.locator(".app-concern-alert")
    expect(alert).to_contain_text("safeguarding concern")
    open_before = int(re.search(r"(\d+) safeguarding", alert.inner_text()).group(1))
    manager.get_by_role("link", name="See the safeguarding concerns").click()
    row = manager.locator("#open-concerns tr", has_text=reference)
    expect(row).to_have_count(1)
    assert_accessible(manager, "the safeguarding concerns list")
    row.get_by_role("link").first.click()
    assert_accessible(manager, "a safeguarding concern")
    manager.get_by_role("textbox").first.fill("Synthetic response: visit arranged for today.")
    manager.get_by_role("button", name="Acknowledge concern").click()
    manager.goto("/concerns")
    heading = manager.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Safeguarding concerns ({open_before - 1} open)")
    expect(manager.locator("#open-concerns tr", has_text=reference)).to_have_count(0)
    expect(manager.locator("#acknowledged-concerns tr", has_text=reference)).to_have_count(1)
