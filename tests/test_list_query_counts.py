"""Every list page runs the same number of queries whatever the page: the first, one in the
middle and the last (read from the other end) alike, with and without filters, and lists
shown whole run as many queries for a few rows as for many."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from qa_app.extensions import db
from qa_app.models import Action, Audit, Case, Role, SafeguardingConcern, Team, TemplateVersion
from tests.conftest import TEST_PASSWORD

ROWS = 230  # five pages of audits and cases, three of a filtered list of actions
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture
def people(make_user, templates_loaded):
    return {
        "auditor": make_user(Role.AUDITOR, team="Team C"),
        "manager": make_user(Role.MANAGER, team="Team A"),
        "qa_lead": make_user(Role.QA_LEAD, team=None),
        "admin": make_user(Role.ADMIN, team=None),
    }


@pytest.fixture
def client_for(app):
    def make(user):
        client = app.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302
        return client

    return make


def _add_audits(app, auditor_id: int, count: int, start: int = 0) -> list[int]:
    """Add ``count`` synthetic cases of Team A, each with a submitted audit and an action;
    return the audits' ids."""
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Team A"))
        version_id = db.session.scalar(
            select(TemplateVersion.id).where(TemplateVersion.key == "front-door")
        )
        refs = [f"SYN-L-{n:04d}" for n in range(start, start + count)]
        db.session.execute(
            insert(Case),
            [{"reference": r, "team_id": team_id, "case_type": "child_in_need"} for r in refs],
        )
        case_ids = db.session.scalars(select(Case.id).where(Case.reference.in_(refs)))
        db.session.execute(
            insert(Audit),
            [
                {
                    "template_version_id": version_id,
                    "case_id": case_id,
                    "auditor_id": auditor_id,
                    "status": "submitted" if n % 4 else "draft",
                    "overall_judgement": "good" if n % 4 else None,
                    "score": 0.5 + n % 5 / 10 if n % 4 else None,
                    "submitted_at": NOW - timedelta(days=n) if n % 4 else None,
                    "updated_at": NOW - timedelta(hours=n),
                }
                for n, case_id in enumerate(case_ids)
            ],
        )
        audit_ids = list(
            db.session.scalars(
                select(Audit.id).join(Case).where(Case.reference.in_(refs)).order_by(Audit.id)
            )
        )
        db.session.execute(
            insert(Action),
            [
                {
                    "audit_id": audit_id,
                    "description": f"Synthetic action {n}",
                    "owner_role": "Team manager",
                    "due_date": date(2026, 11, 1) + timedelta(days=n % 60),
                    "priority": "medium",
                    "scope": "service" if n % 3 else "case",
                    "status": "done" if n % 2 else "open",
                }
                for n, audit_id in enumerate(audit_ids)
            ],
        )
        db.session.commit()
        return audit_ids


def _add_concerns(app, audit_ids: list[int], raised_by: int, acknowledged_by: int) -> None:
    with app.app_context():
        rows = db.session.execute(
            select(Audit.id, Audit.case_id, Case.team_id).join(Case).where(Audit.id.in_(audit_ids))
        )
        db.session.execute(
            insert(SafeguardingConcern),
            [
                {
                    "audit_id": audit_id,
                    "case_id": case_id,
                    "team_id": team_id,
                    "raised_by_id": raised_by,
                    "description": "Synthetic concern",
                    "raised_at": NOW - timedelta(days=n),
                    "respond_by": NOW - timedelta(days=n - 1),
                    "acknowledged_by_id": acknowledged_by if n % 2 else None,
                    "acknowledged_at": NOW if n % 2 else None,
                    "response": "Synthetic response" if n % 2 else None,
                }
                for n, (audit_id, case_id, team_id) in enumerate(rows)
            ],
        )
        db.session.commit()


def _with_page(url: str, page: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}page={page}"


def _statements_per_page(client, count_queries, url: str) -> list[int]:
    """Return the statements run for the first page, the second and the last."""
    # Templates are compiled and definitions parsed once per process, then kept.
    html = client.get(url).get_data(as_text=True)
    last = max(int(n) for n in re.findall(r"[?&;]page=(\d+)", html))
    assert last >= 3, f"{url} has {last} pages"
    counted = []
    for page in (1, 2, last):
        with count_queries() as counter:
            response = client.get(_with_page(url, page))
            assert response.status_code == 200, (url, page)
        counted.append(len(counter.statements))
    return counted


PAGED_LISTS = [
    ("qa_lead", "/manage/audits"),
    ("qa_lead", "/manage/audits?sort=case&order=desc"),
    ("qa_lead", "/manage/audits?status=submitted&judgement=good&sort=score"),
    ("manager", "/manage/audits?sort=team&order=asc"),
    ("admin", "/admin/cases/"),
    ("qa_lead", "/actions?status=all"),
    ("qa_lead", "/actions?status=all&scope=service"),
    ("manager", "/actions?status=done"),
]


@pytest.mark.parametrize(("who", "url"), PAGED_LISTS)
def test_every_page_of_a_list_runs_the_same_queries(
    app, client_for, people, count_queries, who, url
):
    _add_audits(app, people["auditor"].id, ROWS)
    client = client_for(people[who])
    counted = _statements_per_page(client, count_queries, url)
    assert counted[0] == counted[1] == counted[2], counted


@pytest.mark.parametrize(("who", "url"), [("auditor", "/audits/"), ("manager", "/concerns")])
def test_a_list_shown_whole_runs_the_same_queries_for_a_few_rows_as_for_many(
    app, client_for, people, count_queries, who, url
):
    few = _add_audits(app, people["auditor"].id, 3)
    _add_concerns(app, few, people["auditor"].id, people["manager"].id)
    client = client_for(people[who])
    client.get(url)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    with_few = len(counter.statements)
    many = _add_audits(app, people["auditor"].id, ROWS, start=100)
    _add_concerns(app, many, people["auditor"].id, people["manager"].id)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    assert len(counter.statements) == with_few
