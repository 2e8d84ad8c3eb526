"""Uploading a template file in the browser: every problem listed with where it is and nothing
kept; a good file shows what would change and loads all or nothing, logged; downloads of any
stored version as YAML and as the workbook (which uploads back)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import AuditEvent, Role, TemplateVersion
from tests.conftest import SHIPPED_TEMPLATES
from tests.html_checks import check_page

SUPERVISION = (SHIPPED_TEMPLATES / "supervision.yaml").read_text(encoding="utf-8")


@pytest.fixture
def admin(make_user, sign_in):
    user = make_user(Role.ADMIN, team=None)
    sign_in(user)
    return user


def version_two(replaced: str = "recorded_promptly") -> str:
    """The supervision template as version 2, one question's key changed with ``replaces``."""
    return SUPERVISION.replace("version: 1", "version: 2", 1).replace(
        "      - key: recorded_promptly\n",
        f"      - key: recorded_in_time\n        replaces: {replaced}\n",
        1,
    )


def upload(client, name: str, data: bytes):
    return client.post(
        "/templates/upload",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored_versions(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(TemplateVersion.key, TemplateVersion.version).order_by(TemplateVersion.id)
        )
        return [tuple(row) for row in rows]


def problems(html: str) -> list[tuple[str, str]]:
    table = html.split('id="template-problems"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', table, re.S)
    return list(zip(cells[::2], cells[1::2], strict=True))


def test_a_misspelt_replaces_is_refused_with_did_you_mean_and_nothing_is_kept(
    client, app, templates_loaded, admin
):
    before = stored_versions(app)
    response = upload(client, "supervision.yaml", version_two("recorded_promply").encode())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    [(where, message)] = problems(html)
    line = version_two("recorded_promply").splitlines().index("        replaces: recorded_promply")
    assert where == f"Line {line + 1}, column 19"
    assert "did you mean &#34;recorded_promptly&#34;?" in message or (
        'did you mean "recorded_promptly"?' in message
    )
    assert "Load this version" not in html
    assert stored_versions(app) == before


def test_an_indentation_mistake_is_listed_in_plain_words_with_its_line(
    client, app, templates_loaded, admin
):
    text = SUPERVISION.replace("version: 1", "version: 2", 1).replace(
        "    title: Frequency and recording", "      title: Frequency and recording", 1
    )
    assert text != SUPERVISION.replace("version: 1", "version: 2", 1)
    response = upload(client, "supervision.yaml", text.encode())
    assert response.status_code == 400
    [(where, message), *_] = problems(response.get_data(as_text=True))
    assert where.startswith("Line ")
    assert "indent" in message


def test_a_good_file_shows_the_grouped_changes_and_loads_when_asked(
    client, app, templates_loaded, admin
):
    response = upload(client, "supervision-v2.yaml", version_two().encode())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Check what would change" in html
    assert 'id="changes-replaced"' in html and "recorded_in_time" in html
    assert stored_versions(app).count(("supervision", 2)) == 0  # checked, not stored

    source = re.search(r'name="source" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="source" name="source" type="hidden" value="([^"]+)"', html
    )
    fields = dict(re.findall(r'name="(filename|source)" type="hidden" value="([^"]*)"', html))
    if not fields:
        fields = dict(
            re.findall(r'id="(filename|source)" name="\1" type="hidden" value="([^"]*)"', html)
        )
    assert source is not None and fields["source"]
    loaded = client.post("/templates/upload/load", data=fields)
    assert loaded.status_code == 302
    listing = client.get(loaded.location).get_data(as_text=True)
    assert "Supervision audit, version 2, loaded." in listing
    with app.app_context():
        stored = db.session.scalar(
            select(TemplateVersion).where(
                TemplateVersion.key == "supervision", TemplateVersion.version == 2
            )
        )
        assert stored.source_text == version_two()
        assert stored.source_name == "supervision-v2.yaml"
        # The trend continues: the new key's lineage is the old key.
        assert stored.definition.lineage_key("recorded_in_time") == "recorded_promptly"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "template_loaded"))
        assert event.details["key"] == "supervision" and event.details["version"] == 2
        assert event.actor_id == admin.id

    # Loading the same check again stores nothing twice.
    again = client.post("/templates/upload/load", data=fields)
    assert again.status_code == 302
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).where(
                TemplateVersion.key == "supervision", TemplateVersion.version == 2
            )
        )
        assert count == 1


def test_any_version_downloads_as_yaml_and_as_a_workbook_that_uploads_back(
    client, app, templates_loaded, admin
):
    response = client.get("/templates/supervision/versions/1.yaml")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True) == SUPERVISION

    workbook = client.get("/templates/supervision/versions/1.xlsx")
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.data))
    assert "Criteria" in book.sheetnames
    # Raise the version in the workbook and upload it: it checks and offers to load.
    sheet = book["Template"]
    for row in sheet.iter_rows():
        if row[0].value and str(row[0].value).strip().lower() == "version":
            row[1].value = 2
    stream = io.BytesIO()
    book.save(stream)
    checked = upload(client, "supervision.xlsx", stream.getvalue())
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200, html
    assert "Load this version" in html


def test_a_workbook_problem_names_its_sheet_row_and_column(client, app, templates_loaded, admin):
    workbook = client.get("/templates/supervision/versions/1.xlsx")
    book = load_workbook(io.BytesIO(workbook.data))
    sheet = book["Criteria"]
    headers = [cell.value for cell in sheet[1]]
    scale_column = headers.index("Scale") + 1
    sheet.cell(row=3, column=scale_column, value="no_such_scale")
    stream = io.BytesIO()
    book.save(stream)
    response = upload(client, "supervision.xlsx", stream.getvalue())
    assert response.status_code == 400
    rows = problems(response.get_data(as_text=True))
    assert any(where.startswith("Sheet Criteria, row 3, column ") for where, _ in rows), rows


def test_other_files_are_refused_with_what_to_upload(client, templates_loaded, admin):
    response = upload(client, "notes.txt", b"hello")
    assert response.status_code == 400
    assert "must be a template file (.yaml) or a template workbook (.xlsx)" in (
        response.get_data(as_text=True)
    )
    missing = client.post("/templates/upload", data={}, content_type="multipart/form-data")
    assert missing.status_code == 400
    assert "Select a template file" in missing.get_data(as_text=True)


def test_managers_see_no_upload_and_cannot_load(client, templates_loaded, make_user, sign_in):
    sign_in(make_user(Role.MANAGER, team="Team A (synthetic)"))
    html = client.get("/templates").get_data(as_text=True)
    assert "Upload a template" not in html and "flask --app" not in html
    assert "/templates/supervision/versions/1.yaml" in html  # downloads are for every reader
    assert client.get("/templates/upload").status_code == 403
    assert client.post("/templates/upload/load", data={}).status_code == 403
