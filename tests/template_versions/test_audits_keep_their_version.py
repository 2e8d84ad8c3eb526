"""An audit keeps the template version it was started on, after a new version is loaded: it
opens, saves and submits on its own version, and reports show its own version's wording."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, Role, TemplateVersion
from tests.audits.helpers import (
    lock_version,
    offered_team,
    save_page,
    start_audit_through_the_form,
)
from tests.html_checks import check_page
from tests.template_versions.synthetic_versions import (
    KEY,
    OVERALL,
    V1_ANSWERS,
    V1_QUESTIONS,
    V2,
    V2_ANSWERS,
    V2_QUESTIONS,
)


def _version_id(app, number: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(TemplateVersion.id).where(
                TemplateVersion.key == KEY, TemplateVersion.version == number
            )
        )


def _fill_and_submit(client, app, audit_id: int, answers: dict) -> None:
    for page, data in (("practice", answers), ("overall", OVERALL)):
        response = save_page(client, app, audit_id, page, data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = client.post(
        f"/audits/{audit_id}/submit", data={"lock_version": lock_version(app, audit_id)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "submitted"


def _start_latest(client, app, reference: str) -> int:
    """Start an audit of the synthetic template as the start page offers it; return its id."""
    page = client.get("/audits/new").get_data(as_text=True)
    offered = {
        int(value)
        for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
        if "Versioning check" in label
    }
    assert offered == {_version_id(app, 2)}, "only the latest version is offered"
    team_id = offered_team(client, app)  # never the user's own team
    response = client.post(
        "/audits/new",
        data={
            "template_version_id": str(_version_id(app, 2)),
            "case_reference": reference,
            "team_id": str(team_id),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").split("/")[-1])


@pytest.fixture
def v1_audit(client, app, version_1_loaded, auditor) -> int:
    """An audit started on version 1, with its section saved as a draft."""
    audit_id = start_audit_through_the_form(client, app, KEY, "SYN-700001")
    response = save_page(client, app, audit_id, "practice", V1_ANSWERS)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return audit_id


def test_an_audit_started_on_version_1_still_opens_on_version_1_after_version_2_loads(
    client, app, load, v1_audit
):
    assert load(V2).exit_code == 0
    response = client.get(f"/audits/{v1_audit}/sections/practice")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    for question in V1_QUESTIONS.values():
        assert question.replace("'", "&#39;") in html
    assert V2_QUESTIONS["supervision_reflective"] not in html
    assert "version 1" in html
    # The answers saved before version 2 was loaded are still there.
    assert re.search(r'name="answer__visits_recorded"[^>]*value="yes"[^>]*checked', html)
    with app.app_context():
        assert db.session.get(Audit, v1_audit).template_version.version == 1


def test_the_version_1_audit_can_still_be_submitted_and_a_new_audit_gets_version_2(
    client, app, load, v1_audit
):
    assert load(V2).exit_code == 0
    _fill_and_submit(client, app, v1_audit, V1_ANSWERS)
    new_audit = _start_latest(client, app, "SYN-700002")
    html = client.get(f"/audits/{new_audit}/sections/practice").get_data(as_text=True)
    check_page(html)
    assert V2_QUESTIONS["supervision_reflective"] in html
    assert V1_QUESTIONS["visits_recorded"].replace("'", "&#39;") not in html
    with app.app_context():
        assert db.session.get(Audit, new_audit).template_version.version == 2
        assert db.session.get(Audit, v1_audit).template_version.version == 1


def test_the_excel_summary_words_each_answer_as_its_version_did_with_one_trend_key(
    client, app, load, v1_audit, make_user, sign_in
):
    assert load(V2).exit_code == 0
    _fill_and_submit(client, app, v1_audit, V1_ANSWERS)
    v2_audit = _start_latest(client, app, "SYN-700003")
    _fill_and_submit(client, app, v2_audit, V2_ANSWERS)

    client.post("/sign-out")
    sign_in(make_user(Role.MANAGER, team=None))
    response = client.get("/manage/audits/summary.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data), read_only=True)["Answers"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    column = {name: header.index(name) for name in header}
    answers = {
        (row[column["Audit"]], row[column["Criterion"]]): {
            name: row[index] for name, index in column.items()
        }
        for row in rows
    }

    v1_rows = {c: r for (audit, c), r in answers.items() if audit == v1_audit}
    v2_rows = {c: r for (audit, c), r in answers.items() if audit == v2_audit}
    assert {c: r["Question"] for c, r in v1_rows.items()} == V1_QUESTIONS
    assert {c: r["Question"] for c, r in v2_rows.items()} == V2_QUESTIONS
    assert {r["Version"] for r in v1_rows.values()} == {1}
    assert {r["Version"] for r in v2_rows.values()} == {2}
    # The renamed criterion's answers from both versions share one trend key.
    assert v1_rows["child_seen"]["Trend key"] == "child_seen"
    assert v2_rows["child_seen_timescale"]["Trend key"] == "child_seen"
    assert v2_rows["supervision_reflective"]["Trend key"] == "supervision_reflective"
    assert v1_rows["plan_quality"]["Answer"] == "Good"
    assert v2_rows["plan_quality"]["Answer"] == "Outstanding"
