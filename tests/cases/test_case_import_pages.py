"""Uploading a case list and seeing the cases, through the web pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.cases import routes
from qa_app.extensions import db
from qa_app.models import AuditEvent, Case, Role
from tests.cases.case_files import TEAM_A, case_rows, csv_bytes, xlsx_bytes
from tests.html_checks import check_page


def count_cases(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_the_import_page_shows_the_form(client, admin):
    response = client.get("/admin/cases/import")
    html = response.get_data(as_text=True)
    check_page(html)
    assert 'type="file"' in html
    assert 'accept=".csv,.xlsx' in html
    assert "Create teams that do not exist yet" in html
    assert 'enctype="multipart/form-data"' in html


def test_case_lists_in_the_menu_opens_the_cases_with_an_import_button(client, admin):
    menu = client.get("/menu/administration").get_data(as_text=True)
    assert '<a class="govuk-link" href="/admin/cases/">Case lists</a>' in menu
    html = client.get("/admin/cases/").get_data(as_text=True)
    assert 'href="/admin/cases/import"' in html and "Import a case list" in html


def test_uploading_a_good_file_imports_it_and_shows_the_result(client, app, admin, teams, upload):
    response = upload(csv_bytes(case_rows(3)), "march.csv")
    assert response.status_code == 302
    assert count_cases(app) == 3
    page = client.get(response.location)
    html = page.get_data(as_text=True)
    check_page(html)
    assert "Case list imported" in html
    assert "3 cases in march.csv" in html
    assert "govuk-panel" in html


def test_uploading_a_workbook_with_create_teams_creates_the_teams(client, app, admin, upload):
    response = upload(
        xlsx_bytes(case_rows(2, team="Team New (synthetic)")), "cases.xlsx", create_teams="y"
    )
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Team New (synthetic)" in html
    assert count_cases(app) == 2


def test_a_file_with_bad_rows_lists_every_row_and_imports_nothing(
    client, app, admin, teams, upload
):
    rows = case_rows(2) + [["", TEAM_A, "CIN", "W", "3/3/2026"], ["SYN-4", TEAM_A, "??", "W", "x"]]
    response = upload(csv_bytes(rows), "march.csv", sheet="", create_teams="")
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.has_error_summary
    assert "2 rows have problems, so nothing was imported" in html
    assert 'href="#row-problems"' in html
    assert 'id="row-problems"' in html
    # The report is at the top, under the error summary, before the form to try again.
    assert html.index("govuk-error-summary") < html.index('id="row-problems"')
    assert html.index('id="row-problems"') < html.index('type="file"')
    assert "Enter the case reference" in html
    assert "Case type &#34;??&#34; is not one we know" in html or "Case type &quot;??&quot;" in html
    assert count_cases(app) == 0


def test_a_long_problem_report_is_cut_short_with_a_count_of_the_rest(
    client, app, admin, teams, upload, monkeypatch
):
    monkeypatch.setattr(routes, "PROBLEMS_SHOWN", 5)
    rows = [["", TEAM_A, "CIN", "W", "3/3/2026"]] * 8
    html = upload(csv_bytes(rows)).get_data(as_text=True)
    check_page(html)
    assert html.count("Enter the case reference") == 5
    assert "3 more problems are not shown" in html


def test_an_unreadable_file_is_explained_by_the_file_field(client, app, admin, upload):
    html = upload(b"%PDF-1.4", "cases.pdf").get_data(as_text=True)
    check_page(html)
    assert 'href="#file"' in html
    assert "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)" in html
    assert "The file was not imported: fix it and select it again" in html


def test_submitting_without_a_file_asks_for_one(client, admin):
    response = client.post("/admin/cases/import", data={"sheet": "Cases", "create_teams": "y"})
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Select a case list file" in html
    assert 'value="Cases"' in html, "what was typed is kept"
    assert "checked" in html


def test_a_workbook_with_several_sheets_can_be_imported_by_naming_the_sheet(
    client, app, admin, teams, upload
):
    content = xlsx_bytes(case_rows(1), sheets={"Other": [["Notes"], ["synthetic"]]})
    refused = upload(content, "cases.xlsx").get_data(as_text=True)
    assert "more than one sheet with data" in refused
    assert upload(content, "cases.xlsx", sheet="Cases").status_code == 302
    assert count_cases(app) == 1


def test_a_file_over_the_upload_limit_is_refused_with_the_limit(client, app, admin, upload):
    # A small limit: the test client keeps bodies under 500 KB in memory.
    app.config["UPLOAD_MAX_CONTENT_LENGTH"] = 256 * 1024
    response = upload(b"x" * (256 * 1024 + 1), "cases.csv")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    check_page(html)
    assert "The selected file must be smaller than 256 KB" in html


def test_the_case_list_shows_counts_by_team_and_type_and_a_page_of_cases(
    client, app, admin, teams, upload
):
    rows = case_rows(60) + [["SYN-CP-1", TEAM_A, "CP", "", "1/1/2026", "2/1/2026", ""]]
    upload(csv_bytes(rows))
    html = client.get("/admin/cases/").get_data(as_text=True)
    check_page(html)
    assert 'id="case-counts"' in html
    assert "Child in need" in html and "Child protection" in html
    assert ">60<" in html and ">61<" in html
    assert "61 cases by team and reference (page 1 of 2)" in html
    assert html.count("SYN-0000") == 50
    second = client.get("/admin/cases/?page=2").get_data(as_text=True)
    check_page(second)
    assert "SYN-CP-1" in second
    assert "2 January 2026" in second
    assert client.get("/admin/cases/?page=9").status_code == 404


def test_the_case_list_says_when_there_are_no_cases(client, admin):
    html = client.get("/admin/cases/").get_data(as_text=True)
    check_page(html)
    assert "There are no cases yet" in html


def test_an_import_result_that_does_not_exist_is_not_found(client, app, admin):
    assert client.get("/admin/cases/import/999").status_code == 404


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MANAGER])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/admin/cases/"),
        ("GET", "/admin/cases/import"),
        ("POST", "/admin/cases/import"),
        ("GET", "/admin/cases/import/1"),
    ],
)
def test_only_admins_can_import_or_see_case_lists(
    client, app, make_user, sign_in, role, method, url
):
    sign_in(make_user(role))
    response = client.open(url, method=method, data={})
    assert response.status_code == 403
    check_page(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_a_clash_with_another_import_is_explained_and_nothing_is_kept(
    client, app, admin, teams, upload, monkeypatch
):
    from sqlalchemy.exc import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("INSERT INTO cases", {}, Exception("duplicate reference"))

    monkeypatch.setattr(routes, "import_case_list", clash)
    html = upload(csv_bytes(case_rows(1))).get_data(as_text=True)
    check_page(html)
    assert "Cases were changed by someone else while this file was imported" in html
    assert count_cases(app) == 0
