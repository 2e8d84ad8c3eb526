"""All audits: filters in the URL, sorting, paging, counts that follow the filters, final grades."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, Case, Role, Team, TemplateVersion, User
from tests.html_checks import check_page


@pytest.fixture
def audits(app, templates_loaded, make_user):
    """Two teams' audits in several states: one moderated down, one moderated and agreed."""
    auditor = make_user(Role.AUDITOR, email="ann@example.org", team="Team A")
    other = make_user(Role.AUDITOR, email="bob@example.org", team="Team B")
    with app.app_context():
        version = db.session.scalar(
            select(TemplateVersion).where(TemplateVersion.key == "front-door")
        )
        team_b = db.session.scalar(select(Team).where(Team.name == "Team B"))
        team_a = db.session.scalar(select(Team).where(Team.name == "Team A"))
        rows = [
            # reference, team, auditor, status, judgement, moderated, submitted days ago
            ("SYN-A-001", team_a, other, "submitted", "good", None, 40),
            ("SYN-A-002", team_a, other, "moderated", "good", "inadequate", 20),
            ("SYN-A-003", team_a, other, "closed", "outstanding", "outstanding", 10),
            ("SYN-B-001", team_b, auditor, "draft", None, None, None),
            ("SYN-B-002", team_b, auditor, "in_moderation", "inadequate", None, 5),
        ]
        for reference, team, person, status, judgement, moderated, days in rows:
            case = Case(reference=reference, team_id=team.id, case_type="child_in_need")
            db.session.add(
                Audit(
                    template_version_id=version.id,
                    case=case,
                    auditor_id=person.id,
                    status=status,
                    overall_judgement=judgement,
                    moderated_overall_judgement=moderated,
                    score=0.9 if judgement == "outstanding" else 0.6 if judgement else None,
                    moderated_score=0.1 if moderated == "inadequate" else None,
                    submitted_at=None
                    if days is None
                    else datetime(2026, 11, 30, 12, tzinfo=UTC) - timedelta(days=days),
                )
            )
        db.session.commit()
        return {"team_a": team_a.id, "team_b": team_b.id, "ann": auditor.id, "bob": other.id}


@pytest.fixture
def manager(make_user, sign_in):
    user = make_user(Role.MANAGER, team=None)
    sign_in(user)
    return user


def _references(html: str) -> list[str]:
    table = html.split('id="audit-list"')[1].split("</table>")[0]
    return re.findall(r'<td class="govuk-table__cell">(SYN-[A-Z]-\d+)</td>', table)


def _summary(html: str) -> dict[str, int]:
    table = html.split('id="judgement-summary"')[1].split("</table>")[0]
    cells = re.findall(r"<t[dh][^>]*>\s*([^<]+?)\s*</t[dh]>", table.split("<tbody")[1])
    return {cells[i]: int(cells[i + 1]) for i in range(0, len(cells), 2)}


def test_the_list_shows_the_final_grade_and_marks_a_moderators_change(client, audits, manager):
    html = client.get("/manage/audits?sort=case&order=asc").get_data(as_text=True)
    check_page(html)
    rows = html.split('id="audit-list"')[1].split("<tbody")[1].split("</tr>")
    moderated_down = next(row for row in rows if "SYN-A-002" in row)
    assert "Inadequate" in moderated_down
    assert "Changed by moderator" in moderated_down
    assert "grade: Good" in moderated_down
    agreed = next(row for row in rows if "SYN-A-003" in row)
    assert "Outstanding" in agreed and "Changed by moderator" not in agreed


def test_the_counts_follow_the_filters_and_count_final_grades(client, audits, manager):
    everything = client.get("/manage/audits").get_data(as_text=True)
    assert "5 audits, most recently changed first" in everything
    assert _summary(everything) == {
        "Outstanding": 1,
        "Good": 1,
        "Inadequate": 2,
        "Total submitted": 4,
    }
    team_a = client.get(f"/manage/audits?team={audits['team_a']}").get_data(as_text=True)
    check_page(team_a)
    assert "3 audits match the filters" in team_a
    assert sorted(_references(team_a)) == ["SYN-A-001", "SYN-A-002", "SYN-A-003"]
    assert _summary(team_a) == {"Outstanding": 1, "Good": 1, "Inadequate": 1, "Total submitted": 3}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=in_moderation", ["SYN-B-002"]),
        ("status=moderated", ["SYN-A-002"]),
        ("status=closed", ["SYN-A-003"]),
        ("judgement=inadequate", ["SYN-A-002", "SYN-B-002"]),
        ("judgement=good", ["SYN-A-001"]),
        ("judgement=none", ["SYN-B-001"]),
        ("reference=a-00", ["SYN-A-001", "SYN-A-002", "SYN-A-003"]),
        ("reference=%25", []),
        ("template=front-door&status=draft", ["SYN-B-001"]),
        ("template=lado", []),
        (
            "submitted_from=1&submitted_from=11&submitted_from=2026",
            ["SYN-A-002", "SYN-A-003", "SYN-B-002"],
        ),
        (
            "submitted_from=1&submitted_from=11&submitted_from=2026"
            "&submitted_to=20&submitted_to=11&submitted_to=2026",
            ["SYN-A-002", "SYN-A-003"],
        ),
    ],
)
def test_each_filter_narrows_the_list(client, audits, manager, query, expected):
    html = client.get(f"/manage/audits?{query}&sort=case&order=asc").get_data(as_text=True)
    check_page(html)
    assert _references(html) == expected


def test_the_auditor_filter_shows_only_that_auditors_audits(client, audits, manager):
    html = client.get(f"/manage/audits?auditor={audits['ann']}").get_data(as_text=True)
    assert sorted(_references(html)) == ["SYN-B-001", "SYN-B-002"]


def test_a_date_that_is_not_real_is_explained_and_kept(client, audits, manager):
    html = client.get(
        "/manage/audits?submitted_from=31&submitted_from=2&submitted_from=2026&status=closed"
    ).get_data(as_text=True)
    check_page(html)
    assert "<title>Error: All audits" in html
    assert "Submitted from must be a real date" in html
    assert 'href="#submitted_from-day"' in html
    assert 'value="31"' in html
    assert _references(html) == ["SYN-A-003"]  # the other filters still apply


def test_sort_links_keep_the_filters_and_say_the_current_order(client, audits, manager):
    html = client.get("/manage/audits?status=closed&sort=team&order=asc").get_data(as_text=True)
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>(.*?)</th>', html, re.S)
    assert header and "Team" in header.group(1)
    assert "sort=team&amp;order=desc" in header.group(1) and "status=closed" in header.group(1)
    assert html.count('aria-sort="none"') == 7


def test_sorting_by_case_reverses(client, audits, manager):
    ascending = _references(client.get("/manage/audits?sort=case&order=asc").get_data(True))
    descending = _references(client.get("/manage/audits?sort=case&order=desc").get_data(True))
    assert ascending == sorted(ascending) and descending == ascending[::-1]


def test_a_team_manager_sees_only_their_teams_audits_whatever_the_filters(
    client, audits, make_user, sign_in
):
    sign_in(make_user(Role.MANAGER, team="Team B"))
    html = client.get(f"/manage/audits?team={audits['team_a']}").get_data(as_text=True)
    assert _references(html) == []
    html = client.get("/manage/audits").get_data(as_text=True)
    assert sorted(_references(html)) == ["SYN-B-001", "SYN-B-002"]


def _add_audits(app, how_many: int) -> None:
    with app.app_context():
        model = db.session.scalar(select(Audit).order_by(Audit.id))
        for n in range(how_many):
            case = Case(reference=f"SYN-X-{n:04d}", team_id=model.case.team_id)
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


@pytest.mark.parametrize("sort", ["changed", "case", "team", "auditor", "score"])
def test_every_page_of_the_list_runs_the_same_queries(
    client, app, audits, manager, count_queries, sort
):
    _add_audits(app, 120)
    client.get("/manage/audits")  # templates parsed once per process, then kept
    counted = []
    for page in (1, 2, 3):
        with count_queries() as counter:
            response = client.get(f"/manage/audits?page={page}&sort={sort}&status=submitted")
            assert response.status_code == 200
        counted.append(len(counter.statements))
        assert not any(
            "source_text" in s or "template_versions.definition" in s for s in counter.statements
        )
    assert counted[0] == counted[1] == counted[2], counted


def test_a_page_past_the_end_shows_the_last_page(client, app, audits, manager):
    _add_audits(app, 60)
    html = client.get("/manage/audits?page=99&sort=case&order=asc").get_data(as_text=True)
    assert _references(html)[-1] == "SYN-X-0059"
    assert len(_references(html)) == 15


def test_my_audits_never_reads_template_definitions(client, app, audits, sign_in, count_queries):
    with app.app_context():
        ann = db.session.get(User, audits["ann"])
        email = ann.email
    client.post("/sign-in", data={"email": email, "password": "correct horse battery"})
    with count_queries() as counter:
        html = client.get("/audits/").get_data(as_text=True)
    check_page(html)
    assert "SYN-B-001" in html and "SYN-B-002" in html
    assert not any("template_versions.definition" in s for s in counter.statements)
