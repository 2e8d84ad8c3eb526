"""The event log viewer: filters, readable details, and a formula-safe CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from qa_app.audits.operations import record_event
from qa_app.extensions import db
from qa_app.governance import event_queries
from qa_app.models import Audit, AuditEvent, Role, User
from tests.governance.html_tables import page_text, table_rows
from tests.html_checks import check_page


@pytest.fixture
def logged(app, people, make_audit) -> dict[str, int]:
    first = make_audit(people.auditor, "SYN-600001")
    second = make_audit(people.other_auditor, "SYN-600002")
    with app.app_context():
        auditor = db.session.get(User, people.auditor.id)
        record_event(
            db.session,
            "audit_returned",
            auditor,
            db.session.get(Audit, first),
            reason_length=12,
            resubmitted=False,
        )
        record_event(db.session, "team_renamed", None, team_id=3, name="=HYPERLINK(1)")
        db.session.commit()
    return {"first": first, "second": second}


def test_admins_page_through_the_event_log_with_details_in_words(app, people, client_for, logged):
    response = client_for(people.admin).get("/admin/event-log")
    html = response.get_data(as_text=True)
    check_page(html)
    rows = table_rows(html, "event-log")
    assert len(rows) == 4
    returned = next(r for r in rows if r["What happened"] == "Audit returned for changes")
    assert "Reason length: 12" in returned["Details"]
    assert "Resubmitted: no" in returned["Details"]
    assert next(r for r in rows if r["What happened"] == "Team renamed")["Who"] == "System"


def test_the_event_log_filters_by_person_action_and_audit(app, people, client_for, logged):
    admin = client_for(people.admin)
    by_person = table_rows(
        admin.get(f"/admin/event-log?user={people.other_auditor.id}").get_data(as_text=True),
        "event-log",
    )
    assert [r["Audit"] for r in by_person] == [str(logged["second"])]
    by_action = table_rows(
        admin.get("/admin/event-log?action=audit_started").get_data(as_text=True), "event-log"
    )
    assert len(by_action) == 2
    by_audit = table_rows(
        admin.get(f"/admin/event-log?audit={logged['first']}").get_data(as_text=True), "event-log"
    )
    assert {r["What happened"] for r in by_audit} == {"Audit started", "Audit returned for changes"}


def test_the_event_log_filters_by_date(app, people, client_for, logged):
    admin = client_for(people.admin)
    none = admin.get("/admin/event-log?date_to=1/1/2020").get_data(as_text=True)
    assert table_rows(none, "event-log") == []
    assert "No events match." in page_text(none)


def test_an_audit_number_that_is_not_a_number_is_explained(app, people, client_for):
    response = client_for(people.admin).get(
        "/admin/event-log?audit=abc&date_from=2/2/2026&date_to=1/2/2026"
    )
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.title.startswith("Error: Event log")
    assert "Audit number must be a number, like 42" in page_text(html)
    assert "To must be the same as or after From" in page_text(html)


def test_the_event_log_downloads_as_formula_safe_csv_and_the_download_is_logged(
    app, people, client_for, logged, events
):
    response = client_for(people.admin).get("/admin/event-log.csv?action=team_renamed")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Event", "When (UTC)", "Who", "Email", "What happened"]
    assert len(rows) == 2
    assert "'=HYPERLINK" not in rows[1][6]  # JSON details start with a brace, so they are safe
    assert rows[1][6].startswith("{")
    assert [e.details for e in events("event_log_downloaded")] == [{"filters": ["action"]}]


def test_the_access_log_downloads_as_csv(app, people, client_for, make_audit):
    audit_id = make_audit(people.auditor, "=SYN-1")
    client_for(people.manager_a).get(f"/manage/audits/{audit_id}")
    response = client_for(people.admin).get("/admin/access-log.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["When (UTC)", "Name", "Email", "Case reference", "Audit", "Page", "Kind"]
    assert rows[1][3] == "'=SYN-1"
    assert rows[1][4:] == [str(audit_id), "Audit detail", "view"]


@pytest.mark.parametrize(
    "url", ["/admin/event-log", "/admin/event-log.csv", "/admin/access-log.csv"]
)
def test_managers_cannot_read_the_logs(app, make_user, client_for, url):
    assert client_for(make_user(Role.MANAGER)).get(url).status_code == 403


def test_every_page_of_the_event_log_shows_its_own_rows_newest_first(app, people, client_for):
    """Pages past the middle are read from the other end; each shows exactly its slice."""
    with app.app_context():
        for n in range(127):
            record_event(db.session, "team_renamed", None, team_id=n)
        db.session.commit()
        newest_first = [
            row.id
            for row in db.session.execute(
                event_queries.event_rows_query(event_queries.EventFilter())
            )
        ]
    admin = client_for(people.admin)
    shown = []
    for page in (1, 2, 3):
        html = admin.get(f"/admin/event-log?page={page}").get_data(as_text=True)
        shown += [row["Details"] for row in table_rows(html, "event-log")]
    assert len(newest_first) == len(shown) == 127 + _login_events(app)
    assert shown[:127] == [f"Team id: {n}" for n in reversed(range(127))]


def _login_events(app) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action != "team_renamed")
            )
            or 0
        )
