"""Moderating through the pages: the queue, grading with reasons, the outcome both sides see,
the auditor's response, closing, and nobody moderating their own audit on any route."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, ModerationSelection, Role
from qa_app.moderation.forms import grade_field, reason_field
from qa_app.moderation.items import graded_items
from tests.html_checks import check_page
from tests.moderation.conftest import audit_status


def _items(app, audit_id):
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        return graded_items(audit, audit.template_version.definition)


def _lock(app, audit_id) -> str:
    with app.app_context():
        selection = db.session.scalar(
            select(ModerationSelection).where(ModerationSelection.audit_id == audit_id)
        )
        return str(selection.lock_version)


def _other(item) -> str:
    values = [o.value for o in item.scale.options]
    index = values.index(item.auditor_value)
    return values[index + 1] if index + 1 < len(values) else values[index - 1]


def _page_of(item) -> str:
    return item.section_key or "overall"


def _moderate_everything(client, app, audit_id, changes: dict[str, str]):
    items = _items(app, audit_id)
    pages: dict[str, dict] = {}
    for item in items:
        data = pages.setdefault(_page_of(item), {})
        if item.key in changes:
            data[grade_field(item.key)] = changes[item.key]
            data[reason_field(item.key)] = "The record shows no timescales"
        else:
            data[grade_field(item.key)] = "agree"
    for page, data in pages.items():
        response = client.post(
            f"/moderation/audits/{audit_id}/sections/{page}",
            data={**data, "lock_version": _lock(app, audit_id), "action_save": "Save"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return client.post(
        f"/moderation/audits/{audit_id}/complete", data={"lock_version": _lock(app, audit_id)}
    )


@pytest.fixture
def picked(app, client, make_user, sign_in, submit_audit):
    """A submitted audit, picked for moderation by a manager of its team who is signed in."""
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    sign_in(manager)
    response = client.post(f"/moderation/audits/{audit_id}/pick")
    assert response.status_code == 302
    return audit_id, auditor, manager


def test_a_manager_moderates_from_the_queue_and_the_auditor_sees_both_grades(
    app, client, sign_in, picked
):
    audit_id, auditor, manager = picked
    queue = client.get("/moderation/queue").get_data(as_text=True)
    check_page(queue)
    assert "SYN-000001" in queue and "Nobody yet" in queue
    assert client.post(f"/moderation/audits/{audit_id}/take").status_code == 302
    assert audit_status(app, audit_id) == "in_moderation"
    task_list = client.get(f"/moderation/audits/{audit_id}").get_data(as_text=True)
    check_page(task_list)
    items = _items(app, audit_id)
    page = client.get(f"/moderation/audits/{audit_id}/sections/{_page_of(items[0])}")
    check_page(page.get_data(as_text=True))
    assert "The auditor’s grade" in page.get_data(
        as_text=True
    ) or "auditor's grade" in page.get_data(as_text=True)
    changes = {items[0].key: _other(items[0]), "overall": _other(items[-1])}
    response = _moderate_everything(client, app, audit_id, changes)
    assert response.status_code == 302
    assert audit_status(app, audit_id) == "moderated"

    client.post("/sign-out")
    sign_in(auditor)
    outcome = client.get(f"/moderation/audits/{audit_id}/outcome")
    html = outcome.get_data(as_text=True)
    check_page(html)
    assert html.count("Changed</strong>") == 2
    assert "The record shows no timescales" in html
    view = client.get(f"/audits/{audit_id}/view").get_data(as_text=True)
    assert "Changed by the moderator" in view and "Moderated" in view
    response = client.post(
        f"/moderation/audits/{audit_id}/outcome", data={"agrees": "no", "comment": ""}
    )
    assert "Error: " in response.get_data(as_text=True)
    response = client.post(
        f"/moderation/audits/{audit_id}/outcome",
        data={"agrees": "no", "comment": "The plan had dates"},
    )
    assert response.status_code == 302
    assert "disagrees" in client.get(response.location).get_data(as_text=True)

    client.post("/sign-out")
    sign_in(manager)
    assert client.post(f"/moderation/audits/{audit_id}/close").status_code == 302
    assert audit_status(app, audit_id) == "closed"
    mail = list(Path(app.config["MAIL_FILE_PATH"]).glob("*.log"))
    text = "".join(p.read_text() for p in mail)
    assert "Audit moderated: case SYN-000001" in text and "Audit closed: case SYN-000001" in text
    assert "The record shows no timescales" not in text  # no written text in emails
    assert f"/moderation/audits/{audit_id}/outcome" in text


def test_a_change_without_a_reason_shows_the_error_and_keeps_the_choice(app, client, picked):
    audit_id, _, _ = picked
    client.post(f"/moderation/audits/{audit_id}/take")
    item = _items(app, audit_id)[0]
    response = client.post(
        f"/moderation/audits/{audit_id}/sections/{_page_of(item)}",
        data={
            grade_field(item.key): _other(item),
            "lock_version": _lock(app, audit_id),
            "action_save": "Save",
        },
    )
    html = response.get_data(as_text=True)
    check_page(html)
    assert "<title>Error: " in html
    assert "Enter your reason for changing the grade" in html
    assert f'value="{_other(item)}" checked' in html


def test_a_stale_save_gets_the_conflict_page_and_saves_nothing(app, client, picked):
    audit_id, _, _ = picked
    client.post(f"/moderation/audits/{audit_id}/take")
    item = _items(app, audit_id)[0]
    stale = _lock(app, audit_id)
    url = f"/moderation/audits/{audit_id}/sections/{_page_of(item)}"
    client.post(
        url, data={grade_field(item.key): "agree", "lock_version": stale, "action_save": "Save"}
    )
    response = client.post(
        url,
        data={
            grade_field(item.key): _other(item),
            reason_field(item.key): "Not timed",
            "lock_version": stale,
            "action_save": "Save",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Someone else saved this moderation" in html
    with app.app_context():
        selection = db.session.scalar(select(ModerationSelection))
        assert [g.agrees for g in selection.grades] == [True]


def test_completing_with_undecided_grades_lists_them(app, client, picked):
    audit_id, _, _ = picked
    client.post(f"/moderation/audits/{audit_id}/take")
    response = client.post(
        f"/moderation/audits/{audit_id}/complete", data={"lock_version": _lock(app, audit_id)}
    )
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Agree or give your grade for" in html
    assert audit_status(app, audit_id) == "in_moderation"


MODERATOR_ROUTES = [
    ("GET", "/moderation/audits/{id}"),
    ("GET", "/moderation/audits/{id}/sections/overall"),
    ("POST", "/moderation/audits/{id}/sections/overall"),
    ("POST", "/moderation/audits/{id}/blind"),
    ("POST", "/moderation/audits/{id}/complete"),
    ("POST", "/moderation/audits/{id}/close"),
]


@pytest.mark.parametrize(("method", "url"), MODERATOR_ROUTES)
def test_nobody_moderates_their_own_audit_on_any_route(
    app, client, make_user, sign_in, submit_audit, method, url
):
    writer = make_user(Role.QA_LEAD)
    audit_id = submit_audit(writer.id)
    sign_in(writer)
    client.post(f"/moderation/audits/{audit_id}/pick")
    taken = client.post(f"/moderation/audits/{audit_id}/take")
    assert taken.status_code == 302 and audit_status(app, audit_id) == "submitted"
    response = client.open(url.format(id=audit_id), method=method, data={"lock_version": "1"})
    assert response.status_code == 403
    assert audit_status(app, audit_id) == "submitted"


def test_a_qa_lead_cannot_give_an_audit_to_its_own_auditor(
    app, client, make_user, sign_in, submit_audit
):
    auditor = make_user(Role.MANAGER)
    lead = make_user(Role.QA_LEAD, team=None)
    audit_id = submit_audit(auditor.id)
    sign_in(lead)
    client.post(f"/moderation/audits/{audit_id}/pick")
    page = client.get(f"/moderation/audits/{audit_id}/assign").get_data(as_text=True)
    check_page(page)
    assert f'value="{auditor.id}"' not in page
    response = client.post(
        f"/moderation/audits/{audit_id}/assign", data={"moderator_id": str(auditor.id)}
    )
    assert "Error: " in response.get_data(as_text=True)
    assert audit_status(app, audit_id) == "submitted"


def test_an_auditor_cannot_reach_the_moderation_pages(app, client, make_user, sign_in):
    sign_in(make_user(Role.AUDITOR))
    for url in ("/moderation/queue", "/moderation/agreement", "/moderation/rules"):
        assert client.get(url).status_code == 403


def test_a_manager_cannot_set_rules_but_a_qa_lead_can_and_bad_input_keeps_what_was_typed(
    app, client, make_user, sign_in
):
    sign_in(make_user(Role.MANAGER))
    assert client.get("/moderation/rules").status_code == 403
    client.post("/sign-out")
    sign_in(make_user(Role.QA_LEAD))
    check_page(client.get("/moderation/rules").get_data(as_text=True))
    response = client.post(
        "/moderation/rules/outside",
        data={"percent": "two hundred", "minimum_per_auditor": "1", "due_working_days": "10"},
    )
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Enter a percentage between 1 and 100" in html and 'value="two hundred"' in html
    response = client.post(
        "/moderation/rules/outside",
        data={
            "percent": "30",
            "minimum_per_auditor": "2",
            "due_working_days": "5",
            "always_judgements": ["inadequate"],
            "blind": "y",
        },
    )
    assert response.status_code == 302
    page = client.get("/moderation/rules").get_data(as_text=True)
    assert "30%" in page and "inadequate" in page


def test_the_audit_page_shows_its_history_without_written_text(
    app, client, make_user, sign_in, picked
):
    audit_id, _, _ = picked
    page = client.get(f"/manage/audits/{audit_id}").get_data(as_text=True)
    check_page(page)
    assert "Started" in page and "Submitted" in page and "Picked for moderation" in page
    with app.app_context():
        from qa_app.models import AuditEvent

        saved = db.session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.audit_id == audit_id, AuditEvent.action == "audit_saved"
            )
        )
        rationale = (
            db.session.scalar(select(Audit).where(Audit.id == audit_id)).answers[0].rationale
        )
    chosen = client.get(f"/manage/audits/{audit_id}?change={saved}").get_data(as_text=True)
    check_page(chosen)
    assert "What the chosen change altered" in chosen
    history = chosen.split('id="history"')[1]
    assert "changed" in history
    if rationale:
        assert rationale not in history


def test_the_moderation_pages_of_an_audit_record_a_view_in_the_access_log(app, client, picked):
    from qa_app.models import AccessRecord

    audit_id, _, _ = picked
    client.post(f"/moderation/audits/{audit_id}/take")

    def records() -> list[str]:
        with app.app_context():
            return list(db.session.scalars(select(AccessRecord.page).order_by(AccessRecord.id)))

    before = len(records())
    assert client.get(f"/moderation/audits/{audit_id}").status_code == 200
    assert client.get(f"/moderation/audits/{audit_id}/sections/overall").status_code == 200
    assert records()[before:] == ["moderation.moderate", "moderation.section"]
    _moderate_everything(client, app, audit_id, {})
    before = len(records())
    assert client.get(f"/moderation/audits/{audit_id}/outcome").status_code == 200
    assert records()[before:] == ["moderation.outcome"]
