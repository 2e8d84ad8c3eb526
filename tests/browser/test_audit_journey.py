"""An auditor fills in and submits an audit in Chromium; a manager reviews it and downloads the
workbook. Every page visited is checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import FILLER_TEXT, AuditFormPage, StartAuditPage, another_team, sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

AUDITOR = next(login for login in DEMO_LOGINS if login.role == Role.AUDITOR)
MANAGER = next(login for login in DEMO_LOGINS if login.role == Role.MANAGER)
TEMPLATE_PREFIX = "Front door"
TYPED_RATIONALE = "Synthetic reasons typed before the first submit, kept after it failed."
PACK_TIMEOUT_MS = 60_000


def test_auditor_fills_and_submits_an_audit_and_manager_downloads_the_leadership_pack(
    new_page, assert_accessible, tmp_path: Path
) -> None:
    case_reference = "SYN-BROWSER-1"
    page: Page = new_page()

    # The auditor signs in and starts an audit of the front door template.
    page.goto("/sign-in")
    assert_accessible(page, "the sign-in page")
    sign_in(page, AUDITOR.email, AUDITOR.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My audits")
    assert_accessible(page, "My audits")

    start = StartAuditPage(page)
    start.open_from_my_audits()
    assert_accessible(page, "the start audit page")
    audit_id = start.start(TEMPLATE_PREFIX, case_reference, another_team(AUDITOR.team))
    form = AuditFormPage(page)
    expect(page.locator(".govuk-task-list")).to_be_visible()
    assert_accessible(page, "the audit's task list")

    # Submitting too early lists what to fix, each linked to the page and box it concerns.
    form.submit()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "the task list with an error summary")
    first_error = summary.locator(".govuk-error-summary__list a").first
    target = (first_error.get_attribute("href") or "").split("#")[1]
    first_error.click()
    expect(page).to_have_url(re.compile(r"/sections/"))
    # The page's script moves the focus once it has run; the expectation waits for it.
    expect(page.locator(f'[id="{target}"]')).to_be_focused()
    assert_accessible(page, "a section page")

    # A saved draft keeps what was typed.
    rationale = form.first_shown_rationale_box()
    rationale_name = rationale.get_attribute("name")
    rationale.fill(TYPED_RATIONALE)
    form.save_draft()
    expect(form.field(rationale_name)).to_have_value(TYPED_RATIONALE)
    page.reload()
    expect(form.field(rationale_name)).to_have_value(TYPED_RATIONALE)

    # Answering every shown question with its best grade, then submitting, succeeds.
    page.goto(f"/audits/{audit_id}")
    assert form.fill_every_page(audit_id) > 0
    assert_accessible(page, "the overall judgement page")
    overall_label = form.choose_first_overall_judgement()
    form.save_and_continue()
    expect(page).to_have_url(re.compile(rf"/audits/{audit_id}$"))
    expect(page.locator("#audit-progress")).to_be_visible()
    form.submit()
    expect(page.get_by_role("heading", level=1)).to_have_text("My audits")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"Audit of case {case_reference} submitted.")
    row = page.locator("tbody tr", has_text=case_reference)
    expect(row).to_have_count(1)
    expect(row.locator(".govuk-tag")).to_have_text("Submitted")
    assert_accessible(page, "My audits after submitting")

    # The manager, in a browser of their own, sees the audit and its overall judgement.
    page = new_page()
    sign_in(page, MANAGER.email, MANAGER.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("All audits")
    assert_accessible(page, "the manager's audit list")
    row = page.locator("#audit-list tbody tr", has_text=case_reference)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_contain_text(str(audit_id))
    expect(cells.nth(5)).to_have_text("Submitted")
    # Number, case, template, team, auditor, status, submitted, then the final judgement.
    expect(cells.nth(7)).to_contain_text(overall_label)
    total_row = page.locator("#judgement-summary tr", has_text="Total submitted")
    total_submitted = int(total_row.locator("td").inner_text().strip())

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit of case {case_reference}")
    details = page.locator(".govuk-summary-list").first
    expect(details).to_contain_text("Submitted")
    expect(details).to_contain_text(overall_label)
    assert_accessible(page, "the audit detail page")
    page.locator(".govuk-back-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All audits")

    # The leadership pack counts the same submitted audits and holds the new audit's answers.
    page.get_by_role("button", name="Download the leadership pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership pack")
    assert_accessible(page, "the leadership pack page")
    # The pack of a year of demo audits is made while the page waits: on a busy machine (the
    # suite runs in parallel processes) that can take longer than the default timeout.
    with page.expect_download(timeout=PACK_TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="Make the pack").click(timeout=PACK_TIMEOUT_MS)
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook_path = tmp_path / download.suggested_filename
    download.save_as(workbook_path)
    sheets = _read_workbook(workbook_path)

    totals = [row[1] for row in sheets["Summary"] if row and row[0] == "Total"]
    assert totals == [total_submitted], f"Summary total {totals}, list shows {total_submitted}"
    data_rows = [row for row in sheets["Data"] if row and row[0] == audit_id]
    assert len(data_rows) > 1, f"the Data sheet has no answers for audit {audit_id}"
    overall = [row for row in data_rows if "Overall judgement" in row]
    assert len(overall) == 1 and overall_label in overall[0], overall
    written = (case_reference, FILLER_TEXT, TYPED_RATIONALE)
    cells_text = [str(value) for rows in sheets.values() for row in rows for value in row if value]
    leaked = [text for text in cells_text if any(w in text for w in written)]
    assert not leaked, f"the workbook should hold no case references or written text: {leaked}"


def test_conditional_question_appears_only_after_the_answer_it_depends_on(
    new_page, assert_accessible
) -> None:
    page: Page = new_page()
    sign_in(page, AUDITOR.email, AUDITOR.password)
    start = StartAuditPage(page)
    start.open_from_my_audits()
    audit_id = start.start(TEMPLATE_PREFIX, "SYN-BROWSER-2", another_team(AUDITOR.team))
    form = AuditFormPage(page)

    conditional = None
    for link in form.section_links():
        page.goto(link)
        try:
            conditional = form.find_conditional_question()
            break
        except AssertionError:
            page.goto(f"/audits/{audit_id}")
    assert conditional is not None, "no section has a question depending on another on its page"
    question = form.question(conditional.wrapper_id)
    expect(question).to_be_hidden()
    expect(question).to_have_class(re.compile(r"\bapp-question--hidden\b"))

    form.choose(conditional.depends_on, conditional.other_value)
    expect(question).to_be_hidden()
    if conditional.input_type == "checkbox":
        form.unchoose(conditional.depends_on, conditional.other_value)
    form.choose(conditional.depends_on, conditional.showing_value)
    expect(question).to_be_visible()
    expect(question).not_to_have_class(re.compile(r"\bapp-question--hidden\b"))
    assert_accessible(page, "the audit form with a conditional question shown")

    if conditional.input_type == "radio":
        form.choose(conditional.depends_on, conditional.other_value)
    else:
        form.unchoose(conditional.depends_on, conditional.showing_value)
    expect(question).to_be_hidden()


def _read_workbook(path: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return {s.title: list(s.iter_rows(values_only=True)) for s in workbook.worksheets}
    finally:
        workbook.close()


def test_typed_answers_are_saved_automatically(new_page) -> None:
    page: Page = new_page()
    sign_in(page, AUDITOR.email, AUDITOR.password)
    start = StartAuditPage(page)
    start.open_from_my_audits()
    start.start(TEMPLATE_PREFIX, "SYN-BROWSER-3", another_team(AUDITOR.team))
    form = AuditFormPage(page)
    page.goto(form.section_links()[1])
    box = form.first_shown_rationale_box()
    name = box.get_attribute("name")
    box.fill("Synthetic text saved without pressing a button.")
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "Draft saved automatically", timeout=15_000
    )
    page.reload()
    expect(form.field(name)).to_have_value("Synthetic text saved without pressing a button.")
    # The page's own Save still counts as up to date after background saves.
    form.field(name).fill("Synthetic text changed again.")
    form.save_draft()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Draft saved.")
