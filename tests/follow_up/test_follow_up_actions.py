"""Actions set from an audit, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.follow_up import operations
from qa_app.follow_up.operations import ActionDetails
from qa_app.follow_up.working_days import date_in_england
from qa_app.models import Action, Audit, User
from tests.html_checks import check_page

TYPED = "Synthetic test text: book a review of the <plan> with timescales."


def _today() -> date:
    return date_in_england(utcnow())


def _action_post(**overrides) -> dict:
    due = _today() + timedelta(days=14)
    data = {
        "description": TYPED,
        "owner_user_id": "",
        "owner_role": "Team manager",
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "priority": "high",
        "scope": "case",
    }
    data.update(overrides)
    return data


def _actions(app, audit_id: int) -> list[Action]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(Action).where(Action.audit_id == audit_id).order_by(Action.id)
            )
        )
        db.session.expunge_all()
        return found


def _add_directly(app, audit_id: int, actor_id: int, due: date, **fields) -> int:
    """Add an action as if it had been set on an earlier day (so it can be overdue now)."""
    details = ActionDetails(
        description=fields.get("description", "Synthetic test text: an action."),
        owner_user_id=None,
        owner_role=fields.get("owner_role", "Team manager"),
        due_date=due,
        priority=fields.get("priority", "medium"),
        scope=fields.get("scope", "case"),
    )
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        actor = db.session.get(User, actor_id)
        action = operations.add_action(db.session, audit, actor, details, today=due)
        db.session.commit()
        return action.id


def test_the_auditor_adds_an_action_owned_by_a_person(app, people, client_for, draft_audit, events):
    client = client_for(people.auditor)
    page = client.get(f"/audits/{draft_audit}/actions")
    html = page.get_data(as_text=True)
    check_page(html)
    assert "Add an action" in html
    assert f'href="/audits/{draft_audit}"' in html  # back to the audit form
    assert "No actions have been set for this audit yet." in html

    due = _today() + timedelta(days=7)
    response = client.post(
        f"/audits/{draft_audit}/actions",
        data=_action_post(
            owner_user_id=str(people.manager_a.id),
            owner_role="",
            due_date=[str(due.day), str(due.month), str(due.year)],
        ),
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/audits/{draft_audit}/actions")
    html = client.get(response.location).get_data(as_text=True)
    check_page(html)
    assert "Action added." in html
    assert "Synthetic test text: book a review of the &lt;plan&gt; with timescales." in html
    assert "Test Manager" in html
    assert f"{due.day} {due:%B %Y}" in html
    assert "High" in html and "This child&#39;s case" in html

    (action,) = _actions(app, draft_audit)
    assert action.owner_user_id == people.manager_a.id and action.owner_role is None
    assert (action.due_date, action.priority, action.scope, action.status) == (
        due,
        "high",
        "case",
        "open",
    )
    assert action.created_by_id == people.auditor.id
    (added,) = events("action_added")
    assert added.audit_id == draft_audit and added.actor_id == people.auditor.id
    assert added.details["owner_user_id"] == people.manager_a.id
    assert added.details["due_date"] == due.isoformat()
    assert added.details["description_length"] == len(TYPED)
    assert TYPED not in str(added.details)  # free text stays out of the log


def test_an_action_can_be_owned_by_a_role_when_the_person_is_not_known(
    app, people, client_for, draft_audit
):
    client = client_for(people.auditor)
    response = client.post(
        f"/audits/{draft_audit}/actions",
        data=_action_post(owner_role="  Team manager  ", scope="service", priority="low"),
    )
    assert response.status_code == 302
    (action,) = _actions(app, draft_audit)
    assert (action.owner_user_id, action.owner_role) == (None, "Team manager")
    assert (action.scope, action.priority) == ("service", "low")
    html = client.get(f"/audits/{draft_audit}/actions").get_data(as_text=True)
    assert "Team manager (role)" in html
    assert "Service-wide learning point" in html


def test_a_due_date_in_the_past_is_refused_and_the_typed_text_kept(
    app, people, client_for, draft_audit
):
    yesterday = _today() - timedelta(days=1)
    client = client_for(people.auditor)
    response = client.post(
        f"/audits/{draft_audit}/actions",
        data=_action_post(due_date=[str(yesterday.day), str(yesterday.month), str(yesterday.year)]),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "The due date must be today or in the future" in html
    assert 'href="#due_date-day"' in html
    assert "Synthetic test text: book a review of the &lt;plan&gt; with timescales." in html
    assert f'value="{yesterday.year}"' in html
    assert 'value="Team manager"' in html
    assert _actions(app, draft_audit) == []


@pytest.mark.parametrize(
    ("owner", "message", "anchor"),
    [
        (
            {"owner_user_id": "", "owner_role": ""},
            "Select the person who owns this action, or enter a role",
            "owner_user_id",
        ),
        (
            {"owner_user_id": "PERSON", "owner_role": "Team manager"},
            "Select a person or enter a role, not both",
            "owner_role",
        ),
    ],
    ids=["neither", "both"],
)
def test_an_action_needs_exactly_one_owner(
    app, people, client_for, draft_audit, owner, message, anchor
):
    if owner["owner_user_id"] == "PERSON":
        owner = {**owner, "owner_user_id": str(people.manager_a.id)}
    response = client_for(people.auditor).post(
        f"/audits/{draft_audit}/actions", data=_action_post(**owner)
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert message in html
    assert f'href="#{anchor}"' in html
    assert "Synthetic test text: book a review of the &lt;plan&gt; with timescales." in html
    assert _actions(app, draft_audit) == []


def test_an_action_needs_a_description_and_a_real_date(app, people, client_for, draft_audit):
    response = client_for(people.auditor).post(
        f"/audits/{draft_audit}/actions",
        data=_action_post(description="   ", due_date=["31", "2", "2030"], priority=""),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "Enter what must happen" in html
    assert "Due date must be a real date" in html
    assert "Select a priority" in html
    assert 'href="#priority"' in html
    assert 'value="31"' in html and 'value="Team manager"' in html
    assert _actions(app, draft_audit) == []


def test_changing_an_action_logs_only_the_fields_that_changed(
    app, people, client_for, draft_audit, events
):
    client = client_for(people.auditor)
    client.post(f"/audits/{draft_audit}/actions", data=_action_post())
    (action,) = _actions(app, draft_audit)
    page = client.get(f"/audits/{draft_audit}/actions/{action.id}")
    html = page.get_data(as_text=True)
    check_page(html)
    assert 'value="Team manager"' in html
    version = html.split('name="seen_version" type="hidden" value="')[1].split('"')[0]

    later = action.due_date + timedelta(days=7)
    response = client.post(
        f"/audits/{draft_audit}/actions/{action.id}",
        data=_action_post(
            description=TYPED + " Updated.",
            owner_role="",
            owner_user_id=str(people.manager_a.id),
            due_date=[str(later.day), str(later.month), str(later.year)],
            seen_version=version,
        ),
    )
    assert response.status_code == 302
    (changed,) = _actions(app, draft_audit)
    assert changed.description == TYPED + " Updated."
    assert (changed.owner_user_id, changed.owner_role, changed.due_date) == (
        people.manager_a.id,
        None,
        later,
    )
    (event,) = events("action_changed")
    fields = {change["field"]: change for change in event.details["changes"]}
    assert set(fields) == {"description", "owner_user_id", "owner_role", "due_date"}
    assert fields["description"] == {"field": "description", "changed": True}
    assert fields["due_date"]["new"] == later.isoformat()
    assert "Updated." not in str(event.details)


def test_an_overdue_action_can_be_changed_without_moving_its_date(
    app, people, client_for, draft_audit
):
    past = _today() - timedelta(days=10)
    action_id = _add_directly(app, draft_audit, people.auditor.id, past)
    client = client_for(people.auditor)
    html = client.get(f"/audits/{draft_audit}/actions").get_data(as_text=True)
    assert "Overdue" in html
    page = client.get(f"/audits/{draft_audit}/actions/{action_id}").get_data(as_text=True)
    version = page.split('name="seen_version" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/audits/{draft_audit}/actions/{action_id}",
        data=_action_post(
            due_date=[str(past.day), str(past.month), str(past.year)], seen_version=version
        ),
    )
    assert response.status_code == 302
    (action,) = _actions(app, draft_audit)
    assert action.due_date == past and action.priority == "high"


def test_a_change_from_a_stale_page_is_refused_and_keeps_what_was_typed(
    app, people, client_for, draft_audit
):
    action_id = _add_directly(app, draft_audit, people.auditor.id, _today())
    auditor, manager = client_for(people.auditor), client_for(people.manager_a)
    page = auditor.get(f"/audits/{draft_audit}/actions/{action_id}").get_data(as_text=True)
    stale = page.split('name="seen_version" type="hidden" value="')[1].split('"')[0]
    fresh = manager.get(f"/audits/{draft_audit}/actions/{action_id}").get_data(as_text=True)
    current = fresh.split('name="seen_version" type="hidden" value="')[1].split('"')[0]
    assert (
        manager.post(
            f"/audits/{draft_audit}/actions/{action_id}",
            data=_action_post(priority="low", seen_version=current),
        ).status_code
        == 302
    )

    response = auditor.post(
        f"/audits/{draft_audit}/actions/{action_id}",
        data=_action_post(description="Synthetic test text: my version.", seen_version=stale),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Someone else changed this action after you opened it." in html
    assert "Synthetic test text: my version." in html
    (action,) = _actions(app, draft_audit)
    assert action.priority == "low" and action.description == TYPED


def test_completing_and_reopening_an_action(app, people, client_for, draft_audit, events):
    action_id = _add_directly(app, draft_audit, people.auditor.id, _today() + timedelta(days=3))
    client = client_for(people.auditor)
    url = f"/audits/{draft_audit}/actions/{action_id}"
    response = client.post(url, data={"complete": "Mark as done"})
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Action marked as done." in html
    (action,) = _actions(app, draft_audit)
    assert action.status == "done" and action.completed_at is not None
    page = client.get(url).get_data(as_text=True)
    check_page(page)
    assert "Reopen action" in page

    assert client.post(url, data={"reopen": "Reopen action"}).status_code == 302
    (action,) = _actions(app, draft_audit)
    assert action.status == "open" and action.completed_at is None
    assert [e.details["action_id"] for e in events("action_completed")] == [action_id]
    assert [e.details["action_id"] for e in events("action_reopened")] == [action_id]


def test_an_auditor_cannot_add_actions_to_someone_elses_audit(app, people, client_for, draft_audit):
    other = client_for(people.other_auditor)
    assert other.get(f"/audits/{draft_audit}/actions").status_code == 403
    assert other.post(f"/audits/{draft_audit}/actions", data=_action_post()).status_code == 403
    assert _actions(app, draft_audit) == []


def test_after_submission_the_auditor_reads_the_actions_and_managers_change_them(
    app, people, client_for, draft_audit
):
    action_id = _add_directly(app, draft_audit, people.auditor.id, _today())
    with app.app_context():
        db.session.get(Audit, draft_audit).status = "submitted"
        db.session.commit()
    auditor = client_for(people.auditor)
    html = auditor.get(f"/audits/{draft_audit}/actions").get_data(as_text=True)
    check_page(html)
    assert "only a manager can add or change its actions" in html
    assert "Add an action" not in html
    assert auditor.post(f"/audits/{draft_audit}/actions", data=_action_post()).status_code == 403
    assert auditor.get(f"/audits/{draft_audit}/actions/{action_id}").status_code == 403

    manager = client_for(people.manager_a)
    html = manager.get(f"/audits/{draft_audit}/actions").get_data(as_text=True)
    assert f'href="/manage/audits/{draft_audit}"' in html
    assert manager.post(f"/audits/{draft_audit}/actions", data=_action_post()).status_code == 302
    assert len(_actions(app, draft_audit)) == 2


def test_a_manager_of_another_team_cannot_see_the_audits_actions(
    app, people, client_for, draft_audit
):
    manager_b = client_for(people.manager_b)
    assert manager_b.get(f"/audits/{draft_audit}/actions").status_code == 404
    assert manager_b.post(f"/audits/{draft_audit}/actions", data=_action_post()).status_code == 404
    assert client_for(people.admin).get(f"/audits/{draft_audit}/actions").status_code == 200


def test_the_action_list_shows_overdue_first_and_only_visible_audits(
    app, people, client_for, make_audit
):
    audit_a = make_audit(people.auditor, "SYN-200001")
    audit_b = make_audit(people.auditor, "SYN-200002", team="Team B (synthetic)")
    today = _today()
    _add_directly(
        app,
        audit_a,
        people.auditor.id,
        today + timedelta(days=2),
        description="Synthetic test text: due soon.",
    )
    _add_directly(
        app,
        audit_a,
        people.auditor.id,
        today - timedelta(days=3),
        description="Synthetic test text: late.",
    )
    done = _add_directly(
        app,
        audit_a,
        people.auditor.id,
        today - timedelta(days=5),
        description="Synthetic test text: finished.",
    )
    _add_directly(
        app,
        audit_b,
        people.auditor.id,
        today - timedelta(days=9),
        description="Synthetic test text: other team.",
    )
    with app.app_context():
        operations.complete_action(
            db.session, db.session.get(Action, done), db.session.get(User, people.auditor.id)
        )
        db.session.commit()

    html = client_for(people.manager_a).get("/actions").get_data(as_text=True)
    check_page(html)
    assert html.index("late.") < html.index("due soon.")
    assert "finished." not in html  # open actions by default
    assert "other team." not in html
    assert html.count('govuk-tag--red">Overdue') == 1
    counts = html.split('id="action-counts"')[1].split("</table>")[0]
    assert [int(n) for n in _numbers(counts)] == [2, 1, 1]

    everything = client_for(people.admin).get("/actions?status=all").get_data(as_text=True)
    assert (
        everything.index("other team.")
        < everything.index("late.")
        < everything.index("due soon.")
        < everything.index("finished.")
    )


def test_the_action_list_filters_by_status_and_scope(app, people, client_for, make_audit):
    audit_id = make_audit(people.auditor, "SYN-200003")
    today = _today()
    _add_directly(app, audit_id, people.auditor.id, today, description="Synthetic: case one.")
    _add_directly(
        app,
        audit_id,
        people.auditor.id,
        today,
        description="Synthetic: service one.",
        scope="service",
    )
    client = client_for(people.manager_a)
    html = client.get("/actions?status=open&scope=service").get_data(as_text=True)
    check_page(html)
    assert "service one." in html and "case one." not in html
    html = client.get("/actions?status=done").get_data(as_text=True)
    assert "No actions match these filters." in html
    html = client.get("/actions?status=nonsense&scope=nonsense").get_data(as_text=True)
    assert "service one." in html and "case one." in html


def test_the_action_list_is_paginated(app, people, client_for, make_audit):
    audit_id = make_audit(people.auditor, "SYN-200004")
    due = _today() + timedelta(days=1)
    rows = [
        {
            "audit_id": audit_id,
            "description": f"Synthetic action {n:03d}",
            "owner_role": "Team manager",
            "due_date": due,
            "priority": "medium",
            "scope": "case",
            "status": "open",
            "created_at": utcnow(),
            "updated_at": utcnow(),
        }
        for n in range(55)
    ]
    with app.app_context():
        db.session.execute(insert(Action), rows)
        db.session.commit()
    client = client_for(people.manager_a)
    first = client.get("/actions").get_data(as_text=True)
    check_page(first)
    assert "55 actions, page 1 of 2" in first
    assert "Synthetic action 049" in first and "Synthetic action 050" not in first
    second = client.get("/actions?page=2&status=open").get_data(as_text=True)
    assert "Synthetic action 054" in second and "Synthetic action 000" not in second


def test_auditors_cannot_open_the_action_list(people, client_for):
    response = client_for(people.auditor).get("/actions")
    assert response.status_code == 403
    check_page(response.get_data(as_text=True))


def _numbers(html: str) -> list[str]:
    import re

    return re.findall(r"numeric\">(\d+)<", html)
