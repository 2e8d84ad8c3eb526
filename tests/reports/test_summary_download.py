"""The manager's list and the Excel summary tell the same story."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa_app.demo.seed import seed_demo_data
from qa_app.extensions import db
from qa_app.models import REPORTED_STATUSES, Answer, Audit, AuditEvent, Role, Team
from tests.html_checks import check_page


@pytest.fixture
def demo_data(app, templates_loaded):
    with app.app_context():
        seed_demo_data(db.session)
        db.session.commit()


@pytest.fixture
def manager(make_user, sign_in):
    user = make_user(Role.MANAGER, team=None)
    sign_in(user)
    return user


def _summary_table(html: str) -> dict[str, int]:
    table = html.split('id="judgement-summary"')[1].split("</table>")[0]
    cells = re.findall(r"<t[dh][^>]*>\s*([^<]+?)\s*</t[dh]>", table.split("<tbody")[1])
    return {cells[i]: int(cells[i + 1]) for i in range(0, len(cells), 2)}


def test_the_manager_list_shows_every_audit_with_status_judgement_and_score(
    client, app, demo_data, manager
):
    response = client.get("/manage/audits")
    html = response.get_data(as_text=True)
    check_page(html)
    with app.app_context():
        total = db.session.scalar(select(func.count(Audit.id)))
    assert f"{total} audits, most recently changed first" in html
    assert "Returned for changes" in html and "Submitted" in html and "In progress" in html
    assert re.search(r"\d+%</td>", html)


def test_the_workbook_counts_match_the_list_and_hold_one_row_per_answer(
    client, app, demo_data, manager
):
    summary = _summary_table(client.get("/manage/audits").get_data(as_text=True))
    response = client.get("/manage/audits/summary.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(response.data), read_only=True)
    assert workbook.sheetnames == ["Summary", "Audits", "Answers"]
    rows = list(workbook["Summary"].iter_rows(values_only=True))
    header = rows.index(("Overall judgement", "Audits", "Share", "Mean score"))
    counts = {r[0]: r[1] for r in rows[header + 1 :] if r and r[0] and r[0] != "Total"}
    total = next(r[1] for r in rows if r and r[0] == "Total")
    assert counts == {k: v for k, v in summary.items() if k != "Total submitted"}
    assert total == summary["Total submitted"]
    audit_rows = list(workbook["Audits"].iter_rows(min_row=2, values_only=True))
    answer_rows = list(workbook["Answers"].iter_rows(min_row=2, values_only=True))
    assert len(audit_rows) == total
    with app.app_context():
        submitted_answers = db.session.scalar(
            select(func.count(Answer.id))
            .join(Answer.audit)
            .where(Audit.status.in_(REPORTED_STATUSES))
        )
        assert len(answer_rows) == submitted_answers
        export = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export_downloaded")
        ).one()
        assert export.details["de_identified"] is True


def test_the_workbook_leaves_out_case_references_and_written_text(client, app, demo_data, manager):
    response = client.get("/manage/audits/summary.xlsx")
    workbook = load_workbook(BytesIO(response.data), read_only=True)
    text = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )
    assert "SYN-" not in text
    assert "Synthetic demo text" not in text


def test_a_manager_with_a_team_sees_only_that_teams_audits(
    client, app, demo_data, make_user, sign_in
):
    from qa_app.models import Case, Team

    with app.app_context():
        team = db.session.scalar(select(Team).order_by(Team.id))
        team_name = team.name
        expected = db.session.scalar(
            select(func.count(Audit.id)).join(Audit.case).where(Case.team_id == team.id)
        )
    sign_in(make_user(Role.MANAGER, team=team_name))
    html = client.get("/manage/audits").get_data(as_text=True)
    assert f"{expected} audits, most recently changed first" in html


def _add_submitted_audits(app, count: int) -> None:
    """Copy the first submitted audit's case into new synthetic cases with submitted audits."""
    from qa_app.models import Case

    with app.app_context():
        model = db.session.scalar(select(Audit).where(Audit.status == "submitted"))
        for n in range(count):
            case = Case(
                reference=f"SYN-EXTRA-{n}", team_id=model.case.team_id, case_type="child_in_need"
            )
            db.session.add(
                Audit(
                    template_version_id=model.template_version_id,
                    case=case,
                    auditor_id=model.auditor_id,
                    status="submitted",
                    overall_judgement="good",
                    score=0.7,
                )
            )
        db.session.commit()


@pytest.mark.parametrize(
    ("url", "email", "password"),
    [
        ("/manage/audits", "manager@example.org", "demo-manager-pass"),
        ("/audits/", "auditor@example.org", "demo-auditor-pass"),
    ],
)
def test_list_pages_run_the_same_number_of_queries_however_many_audits(
    client, app, demo_data, count_queries, url, email, password
):
    client.post("/sign-in", data={"email": email, "password": password})
    with count_queries() as before:
        assert client.get(url).status_code == 200
    _add_submitted_audits(app, 12)
    with count_queries() as after:
        assert client.get(url).status_code == 200
    assert len(after.statements) == len(before.statements), after.statements


def test_the_manager_list_is_paged_fifty_at_a_time(client, app, demo_data, manager):
    _add_submitted_audits(app, 30)
    with app.app_context():
        total = db.session.scalar(select(func.count(Audit.id)))
    first = client.get("/manage/audits").get_data(as_text=True)
    assert f"{total} audits, most recently changed first" in first
    assert (
        first.count('class="govuk-table__row"')
        - first.split('id="audit-list"')[0].count('class="govuk-table__row"')
        == 51
    )  # the header row and fifty audits
    assert 'href="/manage/audits?page=2"' in first
    second = client.get("/manage/audits?page=2").get_data(as_text=True)
    check_page(second)
    assert second.split('id="audit-list"')[1].count("/manage/audits/") >= 16


def test_a_team_named_like_a_formula_is_written_as_text_in_the_summary(
    client, app, demo_data, manager
):
    attack = '=HYPERLINK("http://x","y")'
    with app.app_context():
        for team in db.session.scalars(select(Team)):
            team.name = attack + team.name
        db.session.commit()
    response = client.get("/manage/audits/summary.xlsx")
    assert response.status_code == 200
    with zipfile.ZipFile(BytesIO(response.data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(re.search(rb"<f[ >/]", archive.read(name)) for name in sheets)
    workbook = load_workbook(BytesIO(response.data))
    teams = [row[3].value for row in workbook["Audits"].iter_rows(min_row=2)]
    assert teams and all(team.startswith(attack) for team in teams)
    assert all(row[3].data_type == "s" for row in workbook["Answers"].iter_rows(min_row=2))
