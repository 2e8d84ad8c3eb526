"""A QA lead's template change in the browser: download the latest version, upload a copy with a
misspelt replaces (every problem listed, nothing kept), then the corrected file, see the
grouped changes and load it. Every page visited is checked with axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_app.demo.seed import DEMO_LOGINS
from qa_app.models import Role
from tests.browser.pages import sign_in
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role == Role.ADMIN)


def test_a_bad_template_file_is_refused_then_the_corrected_one_is_loaded(
    new_page, assert_accessible, tmp_path: Path
) -> None:
    page: Page = new_page()
    sign_in(page, ADMIN.email, ADMIN.password)
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Templates")
    assert_accessible(page, "the templates list with downloads")

    # Download the latest LADO template as YAML, as a QA lead would before editing it.
    with page.expect_download() as download:
        page.locator('a[href="/templates/lado/versions/1.yaml"]').click()
    original = Path(download.value.path()).read_text(encoding="utf-8")
    first_key = original.split("      - key: ", 1)[1].split("\n", 1)[0].strip()

    def edited(replaced: str) -> str:
        return original.replace("version: 1", "version: 2", 1).replace(
            f"      - key: {first_key}\n",
            f"      - key: {first_key}_renamed\n        replaces: {replaced}\n",
            1,
        )

    page.get_by_role("button", name="Upload a template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a template")
    assert_accessible(page, "the upload page")

    bad = tmp_path / "lado.yaml"
    bad.write_text(edited(first_key[:-1] + "x"), encoding="utf-8")
    page.get_by_label("Template file").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was loaded")
    problems = page.locator("#template-problems")
    expect(problems).to_contain_text("Line ")
    expect(problems).to_contain_text(f'did you mean "{first_key}"?')
    expect(page.get_by_role("button", name="Load this version")).to_have_count(0)
    assert page.title().startswith("Error: ")
    assert_accessible(page, "the upload page listing the problems")

    good = tmp_path / "lado-v2.yaml"
    good.write_text(edited(first_key), encoding="utf-8")
    page.get_by_label("Template file").set_input_files(good)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what would change")
    expect(page.locator("#changes-replaced")).to_contain_text(f"{first_key}_renamed")
    assert_accessible(page, "the check of a good file")
    page.get_by_role("button", name="Load this version").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("version 2, loaded")
    expect(page.locator('[data-template="lado"] [data-version="2"]')).to_be_visible()
    assert_accessible(page, "the templates list after loading")
