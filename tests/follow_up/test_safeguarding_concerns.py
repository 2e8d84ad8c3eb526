"""Safeguarding concerns raised from an audit and answered by the team's managers, on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import render_template_string
from flask_login import login_user
from sqlalchemy import select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.follow_up import operations, queries
from qa_app.follow_up.routes import inject_open_concern_count
from qa_app.follow_up.working_days import add_working_days, as_utc
from qa_app.models import Audit, SafeguardingConcern, User
from tests.html_checks import check_page

CONCERN = "Synthetic test text: the record shows an unexplained injury and no strategy meeting."
RESPONSE = "Synthetic test text: spoke to the allocated worker; strategy meeting held today."


def _concerns(app) -> list[SafeguardingConcern]:
    with app.app_context():
        found = list(
            db.session.scalars(select(SafeguardingConcern).order_by(SafeguardingConcern.id))
        )
        db.session.expunge_all()
        return found


def _raise(app, audit_id: int, actor_id: int, now: datetime, text: str = CONCERN) -> int:
    with app.app_context():
        concern = operations.raise_concern(
            db.session,
            db.session.get(Audit, audit_id),
            db.session.get(User, actor_id),
            text,
            now=now,
        )
        db.session.commit()
        return concern.id


def test_raising_a_concern_on_a_draft_audit_records_it_at_once(
    app, people, client_for, draft_audit, events
):
    with app.app_context():
        lock_before = db.session.get(Audit, draft_audit).lock_version
    client = client_for(people.auditor)
    page = client.get(f"/audits/{draft_audit}/concern")
    html = page.get_data(as_text=True)
    check_page(html)
    assert "call the police on 999" in html
    assert f'href="/audits/{draft_audit}"' in html

    before = utcnow()
    response = client.post(f"/audits/{draft_audit}/concern", data={"description": CONCERN})
    after = utcnow()
    assert response.status_code == 302
    (concern,) = _concerns(app)
    assert concern.description == CONCERN
    assert concern.raised_by_id == people.auditor.id and concern.acknowledged_at is None
    with app.app_context():
        audit = db.session.get(Audit, draft_audit)
        assert (concern.case_id, concern.team_id) == (audit.case_id, audit.case.team_id)
        assert audit.status == "draft" and audit.lock_version == lock_before  # audit untouched
    assert before <= as_utc(concern.raised_at) <= after
    assert as_utc(concern.respond_by) == add_working_days(concern.raised_at)

    html = client.get(response.location).get_data(as_text=True)
    check_page(html)
    assert "Safeguarding concern raised" in html
    assert "govuk-panel" in html
    assert "The manager of Team A (synthetic) must respond by" in html
    assert "Test Manager" in html  # the team's manager, by name
    assert "govuk-warning-text" in html and "safeguarding procedures" in html
    assert f'href="/audits/{draft_audit}"' in html

    (raised,) = events("concern_raised")
    assert raised.audit_id == draft_audit and raised.actor_id == people.auditor.id
    assert raised.details["concern_id"] == concern.id
    assert raised.details["case_id"] == concern.case_id
    assert "SYN-100001" not in str(raised.details)
    assert raised.details["description_length"] == len(CONCERN)
    assert CONCERN not in str(raised.details)


def test_a_concern_needs_a_description(app, people, client_for, draft_audit):
    response = client_for(people.auditor).post(
        f"/audits/{draft_audit}/concern", data={"description": "  "}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "Enter a description of your concern" in html
    assert 'href="#description"' in html
    assert _concerns(app) == []


def test_a_concern_can_be_raised_after_the_audit_is_submitted_but_not_by_another_auditor(
    app, people, client_for, draft_audit
):
    with app.app_context():
        db.session.get(Audit, draft_audit).status = "submitted"
        db.session.commit()
    other = client_for(people.other_auditor)
    assert other.get(f"/audits/{draft_audit}/concern").status_code == 403
    assert (
        other.post(f"/audits/{draft_audit}/concern", data={"description": CONCERN}).status_code
        == 403
    )
    response = client_for(people.auditor).post(
        f"/audits/{draft_audit}/concern", data={"description": CONCERN}
    )
    assert response.status_code == 302
    assert other.get(response.location).status_code == 403
    assert len(_concerns(app)) == 1


def test_the_concern_shows_straight_away_to_the_case_teams_managers_only(
    app, people, client_for, draft_audit
):
    client_for(people.auditor).post(f"/audits/{draft_audit}/concern", data={"description": CONCERN})
    (concern,) = _concerns(app)

    html = client_for(people.manager_a).get("/concerns").get_data(as_text=True)
    page = check_page(html)
    assert "Safeguarding concerns (1 open)" in page.title
    assert "SYN-100001" in html and "Test Auditor" in html
    assert f'href="/concerns/{concern.id}"' in html
    assert "Overdue" not in html

    for manager in (people.head_of_service, people.admin):
        assert "SYN-100001" in client_for(manager).get("/concerns").get_data(as_text=True)

    other_team = client_for(people.manager_b)
    html = other_team.get("/concerns").get_data(as_text=True)
    check_page(html)
    assert "SYN-100001" not in html
    assert "No safeguarding concerns are waiting for a response." in html
    assert other_team.get(f"/concerns/{concern.id}").status_code == 404


def test_the_concern_respond_by_is_one_working_day_later(app, people, draft_audit):
    christmas_eve = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)  # Thursday
    _raise(app, draft_audit, people.auditor.id, christmas_eve)
    (concern,) = _concerns(app)
    # Christmas Day, the weekend and the substitute Boxing Day (Monday 28th) are skipped.
    assert as_utc(concern.respond_by) == datetime(2026, 12, 29, 10, 0, tzinfo=UTC)


def test_concerns_are_listed_oldest_first_and_overdue_ones_are_tagged(
    app, people, client_for, draft_audit, make_audit
):
    second_audit = make_audit(people.other_auditor, "SYN-100002")
    now = utcnow()
    _raise(app, second_audit, people.other_auditor.id, now - timedelta(hours=1))
    _raise(app, draft_audit, people.auditor.id, now - timedelta(days=10))
    html = client_for(people.manager_a).get("/concerns").get_data(as_text=True)
    check_page(html)
    open_table = html.split('id="open-concerns"')[1].split("</table>")[0]
    assert open_table.index("SYN-100001") < open_table.index("SYN-100002")
    assert open_table.count("Overdue") == 1
    first_row = open_table.split("SYN-100002")[0]
    assert "Overdue" in first_row


def test_acknowledging_needs_what_was_done_and_the_concern_stays_until_then(
    app, people, client_for, draft_audit, events
):
    concern_id = _raise(app, draft_audit, people.auditor.id, utcnow())
    manager = client_for(people.manager_a)
    page = manager.get(f"/concerns/{concern_id}")
    html = page.get_data(as_text=True)
    check_page(html)
    assert CONCERN in html
    assert f'href="/manage/audits/{draft_audit}"' in html

    response = manager.post(f"/concerns/{concern_id}", data={"response": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "Enter what was done about this concern" in html
    assert 'href="#response"' in html
    assert (
        "SYN-100001"
        in manager.get("/concerns").get_data(as_text=True).split('id="open-concerns"')[1]
    )

    response = manager.post(f"/concerns/{concern_id}", data={"response": RESPONSE})
    assert response.status_code == 302
    listing = manager.get(response.location).get_data(as_text=True)
    check_page(listing)
    assert "Concern about case SYN-100001 acknowledged." in listing
    assert 'id="open-concerns"' not in listing
    assert "SYN-100001" in listing.split('id="acknowledged-concerns"')[1]

    (concern,) = _concerns(app)
    assert concern.acknowledged_by_id == people.manager_a.id
    assert concern.response == RESPONSE and concern.acknowledged_at is not None
    read_only = manager.get(f"/concerns/{concern_id}").get_data(as_text=True)
    check_page(read_only)
    assert RESPONSE in read_only and 'name="response"' not in read_only

    (acknowledged,) = events("concern_acknowledged")
    assert acknowledged.actor_id == people.manager_a.id and acknowledged.audit_id == draft_audit
    assert acknowledged.details["response_length"] == len(RESPONSE)
    assert acknowledged.details["responded_late"] is False
    assert RESPONSE not in str(acknowledged.details)


def test_auditors_cannot_see_or_acknowledge_concerns(app, people, client_for, draft_audit):
    concern_id = _raise(app, draft_audit, people.auditor.id, utcnow())
    auditor = client_for(people.auditor)
    assert auditor.get("/concerns").status_code == 403
    assert auditor.get(f"/concerns/{concern_id}").status_code == 403
    response = auditor.post(f"/concerns/{concern_id}", data={"response": RESPONSE})
    assert response.status_code == 403
    check_page(response.get_data(as_text=True))
    assert _concerns(app)[0].acknowledged_at is None


def test_a_second_acknowledgement_does_not_overwrite_the_first(
    app, people, client_for, draft_audit, events
):
    concern_id = _raise(app, draft_audit, people.auditor.id, utcnow())
    first, second = client_for(people.manager_a), client_for(people.head_of_service)
    assert second.get(f"/concerns/{concern_id}").status_code == 200
    assert first.post(f"/concerns/{concern_id}", data={"response": RESPONSE}).status_code == 302
    late = "Synthetic test text: a second response."
    response = second.post(f"/concerns/{concern_id}", data={"response": late})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    check_page(html)
    assert "acknowledged this concern before you sent your response" in html
    assert late in html  # what they typed is not lost
    (concern,) = _concerns(app)
    assert concern.response == RESPONSE and concern.acknowledged_by_id == people.manager_a.id
    assert len(events("concern_acknowledged")) == 1


def test_the_operation_refuses_to_acknowledge_twice(app, people, draft_audit):
    concern_id = _raise(app, draft_audit, people.auditor.id, utcnow())
    with app.app_context():
        concern = db.session.get(SafeguardingConcern, concern_id)
        manager = db.session.get(User, people.manager_a.id)
        operations.acknowledge_concern(db.session, concern, manager, RESPONSE)
        db.session.commit()
        try:
            operations.acknowledge_concern(db.session, concern, manager, "Synthetic: again.")
        except operations.ConcernAlreadyAcknowledged:
            db.session.rollback()
        else:
            raise AssertionError("a second acknowledgement was accepted")
    assert _concerns(app)[0].response == RESPONSE


def test_the_open_concern_count_is_one_query_for_the_users_teams(
    app, people, draft_audit, make_audit, count_queries
):
    other_team_audit = make_audit(people.auditor, "SYN-100003", team="Team B (synthetic)")
    _raise(app, draft_audit, people.auditor.id, utcnow())
    _raise(app, draft_audit, people.auditor.id, utcnow())
    _raise(app, other_team_audit, people.auditor.id, utcnow())
    with app.app_context():
        users = {
            name: db.session.get(User, getattr(people, name).id)
            for name in ("manager_a", "manager_b", "head_of_service", "admin", "auditor")
        }
        counts = {}
        for name, user in users.items():
            with count_queries() as counter:
                counts[name] = queries.count_open_concerns(db.session, user)
            assert len(counter.statements) == 1
    assert counts == {
        "manager_a": 2,
        "manager_b": 1,
        "head_of_service": 3,
        "admin": 3,
        "auditor": 0,
    }


def test_the_concern_alert_tells_managers_how_many_need_a_response(
    app, people, draft_audit, count_queries
):
    _raise(app, draft_audit, people.auditor.id, utcnow())
    alert = '{% include "follow_up/_concern_alert.html" %}'
    with app.test_request_context("/manage/audits"):
        login_user(db.session.get(User, people.manager_a.id))
        with count_queries() as counter:
            assert inject_open_concern_count() == {"open_concern_count": 1}
        assert len(counter.statements) == 1
        html = render_template_string(alert)
        assert "1 safeguarding concern needs a response" in html
        assert 'href="/concerns"' in html
        assert 'id="concern-alert-title"' in html
    with app.test_request_context("/audits/"):
        login_user(db.session.get(User, people.auditor.id))
        with count_queries() as counter:
            assert inject_open_concern_count() == {"open_concern_count": 0}
        assert counter.statements == []
        assert "safeguarding" not in render_template_string(alert)
    with app.test_request_context("/manage/audits"):
        login_user(db.session.get(User, people.manager_b.id))
        assert "safeguarding" not in render_template_string(alert)


def test_a_concern_on_a_team_without_a_manager_goes_to_qa_leads_and_admins_and_says_so(
    app, people, client_for, make_audit
):
    audit_id = make_audit(people.auditor, "SYN-100077", team="Team C (synthetic)")
    response = client_for(people.auditor).post(
        f"/audits/{audit_id}/concern", data={"description": CONCERN}
    )
    html = client_for(people.auditor).get(response.location).get_data(as_text=True)
    check_page(html)
    assert "A QA lead or administrator must respond by" in html
    assert "The managers of Team C" not in html
    recipients = html.split('id="concern-recipients"')[1].split("</ul>")[0]
    assert "has gone to the QA leads and administrators" in recipients
    # Named: those who see every team's concerns, not the managers of other teams.
    with app.app_context():
        names = {u.id: u.display_name for u in db.session.scalars(select(User))}
    assert names[people.admin.id] in recipients and names[people.head_of_service.id] in recipients
    assert names[people.manager_a.id] not in recipients
    assert "SYN-100077" in client_for(people.admin).get("/concerns").get_data(as_text=True)


def test_the_draft_task_list_shows_its_auditor_the_concern_and_what_was_done(
    app, people, client_for, draft_audit
):
    auditor = client_for(people.auditor)
    html = auditor.get(f"/audits/{draft_audit}").get_data(as_text=True)
    assert 'id="audit-concerns"' not in html  # nothing raised yet: no empty heading
    concern_id = _raise(app, draft_audit, people.auditor.id, utcnow())

    html = auditor.get(f"/audits/{draft_audit}").get_data(as_text=True)
    check_page(html)
    assert 'id="audit-tasks-' in html  # still the task list, with the audit still a draft
    assert f'href="/audits/{draft_audit}/concern"' in html
    concerns = html.split('id="audit-concerns"')[1]
    assert CONCERN in concerns and "Waiting for a response" in concerns
    assert "What was done" not in concerns

    client_for(people.manager_a).post(f"/concerns/{concern_id}", data={"response": RESPONSE})
    html = auditor.get(f"/audits/{draft_audit}").get_data(as_text=True)
    check_page(html)
    concerns = html.split('id="audit-concerns"')[1]
    assert "Responded" in concerns and "What was done" in concerns and RESPONSE in concerns
    with app.app_context():
        assert db.session.get(Audit, draft_audit).status == "draft"


def test_a_submitted_audit_shows_its_auditor_the_concern_and_what_was_done(
    app, people, client_for, draft_audit
):
    concern_id = _raise(app, draft_audit, people.auditor.id, utcnow())
    with app.app_context():
        db.session.get(Audit, draft_audit).status = "submitted"
        db.session.commit()
    auditor = client_for(people.auditor)
    html = auditor.get(f"/audits/{draft_audit}/view").get_data(as_text=True)
    check_page(html)
    assert f'href="/audits/{draft_audit}/actions"' in html
    assert f'href="/audits/{draft_audit}/concern"' in html
    concerns = html.split('id="audit-concerns"')[1]
    assert CONCERN in concerns and "Waiting for a response" in concerns

    client_for(people.manager_a).post(f"/concerns/{concern_id}", data={"response": RESPONSE})
    concerns = auditor.get(f"/audits/{draft_audit}/view").get_data(as_text=True)
    concerns = concerns.split('id="audit-concerns"')[1]
    assert "Responded" in concerns and RESPONSE in concerns
    # Another auditor never reads it; the manager's page names where its back link goes.
    manager_page = client_for(people.manager_a).get(f"/manage/audits/{draft_audit}")
    manager_html = manager_page.get_data(as_text=True)
    assert RESPONSE in manager_html and "All audits</a>" in manager_html
