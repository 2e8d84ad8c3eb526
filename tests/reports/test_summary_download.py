"""The manager's list of audits: what it shows, for whom, at what cost."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Audit, Role, Team
from tests.html_checks import check_page


@pytest.fixture
def demo_data(seeded_demo):
    """The demo data as seeded, without the moderations the pack's tests add."""


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


def test_a_manager_with_a_team_sees_only_that_teams_audits(
    client, app, demo_data, make_user, sign_in
):
    from qa_app.models import Case

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
