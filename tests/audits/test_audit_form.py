"""The auditor's journey through the web pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Answer, Audit, AuditEvent, Role, Team, TemplateVersion
from tests.audits.helpers import (
    complete_answers,
    fill_whole_audit,
    lock_version,
    save_page,
    start_audit_through_the_form,
)
from tests.html_checks import check_page


@pytest.fixture
def auditor(make_user, sign_in, templates_loaded):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    return user


def first_scale_criterion(definition):
    return next(c for c in definition.criteria() if c.type == "scale" and c.show_if is None)


def events(app, audit_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.audit_id == audit_id)
                .order_by(AuditEvent.id)
            )
        )


def test_a_new_audit_opens_on_a_task_list_of_its_sections(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    html = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    check_page(html)
    _, definition = complete_answers(app, "front-door")
    for number, section in enumerate(definition.sections, start=1):
        assert f"{number}. {section.title}" in html
        assert f"/audits/{audit_id}/sections/{section.key}" in html
    assert "0 of " in html and "Working with the practitioner and the family" in html
    assert events(app, audit_id) == ["audit_started"]


def test_a_section_page_shows_its_questions_with_guidance(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    section = definition.sections[1]
    html = client.get(f"/audits/{audit_id}/sections/{section.key}").get_data(as_text=True)
    check_page(html)
    for criterion in section.criteria:
        assert f'name="answer__{criterion.key}"' in html
    assert "What good looks like" in html
    assert client.get(f"/audits/{audit_id}/sections/no_such_section").status_code == 404


def test_starting_an_audit_without_a_case_reference_explains_what_is_missing(client, app, auditor):
    response = client.post(
        "/audits/new", data={"template_version_id": "", "case_reference": "", "team_id": ""}
    )
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "Enter the case reference" in html and "Select an audit template" in html


def test_saving_a_section_keeps_every_answer_counts_progress_and_logs_what_changed(
    client, app, auditor
):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    criterion = first_scale_criterion(definition)
    section = definition.section_of(criterion.key)
    data = {
        f"answer__{criterion.key}": post[f"answer__{criterion.key}"],
        f"rationale__{criterion.key}": "Synthetic test text: evidence seen on the file.",
    }
    response = save_page(client, app, audit_id, section.key, data)
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Synthetic test text: evidence seen on the file." in html and "Draft saved." in html
    assert "1 of " in client.get(f"/audits/{audit_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "draft"
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit_saved")
        ).one()
        assert event.details["changes"][0] == {
            "criterion": criterion.key,
            "old": None,
            "new": post[f"answer__{criterion.key}"],
            "rationale_changed": True,
            "rationale": {
                "old_length": 0,
                "new_length": len("Synthetic test text: evidence seen on the file."),
                "hash": event.details["changes"][0]["rationale"]["hash"],
            },
        }
        assert "evidence seen" not in str(event.details)  # the text is not in the log


def test_save_and_continue_goes_to_the_next_section(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    first, second = definition.sections[0].key, definition.sections[1].key
    response = save_page(client, app, audit_id, first, {}, action="action_continue")
    assert response.location.endswith(f"/audits/{audit_id}/sections/{second}")
    last = definition.sections[-1].key
    assert save_page(client, app, audit_id, last, {}, "action_continue").location.endswith(
        "/practice"
    )


def test_submitting_an_incomplete_audit_lists_every_problem_with_links_to_its_page(
    client, app, auditor
):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    criterion = first_scale_criterion(definition)
    section = definition.section_of(criterion.key)
    worst = definition.scale(criterion.scale).options[-1].value
    save_page(client, app, audit_id, section.key, {f"answer__{criterion.key}": worst})
    response = client.post(
        f"/audits/{audit_id}/submit", data={"lock_version": lock_version(app, audit_id)}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "Enter your reasons for this answer" in html
    assert f'href="/audits/{audit_id}/sections/{section.key}#rationale__{criterion.key}"' in html
    assert f'href="/audits/{audit_id}/overall#overall"' in html
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "draft"


def test_a_complete_audit_submits_once_with_its_score(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    fill_whole_audit(client, app, audit_id, definition, post)
    version = lock_version(app, audit_id)
    response = client.post(f"/audits/{audit_id}/submit", data={"lock_version": version})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Audit of case SYN-000001 submitted." in client.get(response.location).get_data(
        as_text=True
    )
    # A double-clicked submit changes nothing the second time.
    again = client.post(f"/audits/{audit_id}/submit", data={"lock_version": version})
    assert again.location.endswith(f"/audits/{audit_id}/view")
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.status == "submitted" and audit.submitted_at is not None
        assert audit.score is not None and 0 <= audit.score <= 1
    assert events(app, audit_id).count("audit_submitted") == 1
    # A submitted audit is read-only for its auditor.
    assert client.get(f"/audits/{audit_id}").location.endswith("/view")
    first = definition.sections[0].key
    assert save_page(client, app, audit_id, first, {}).location.endswith("/view")


def test_a_draft_keeps_answers_that_still_need_correcting(
    client, app, make_user, sign_in, templates_loaded
):
    sign_in(make_user(Role.AUDITOR))
    with app.app_context():
        versions = db.session.scalars(select(TemplateVersion)).all()
        key, criterion = next(
            (v.key, c)
            for v in versions
            for c in v.definition.criteria()
            if c.type == "number" and c.show_if is None
        )
        section = next(s for s in versions if s.key == key).definition.section_of(criterion.key).key
    audit_id = start_audit_through_the_form(client, app, template_key=key)
    response = save_page(client, app, audit_id, section, {f"answer__{criterion.key}": "about ten"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "must be a number" in html and 'value="about ten"' in html
    assert "Draft saved. Some answers need correcting" in html
    with app.app_context():
        saved = db.session.scalar(select(Answer.value).where(Answer.audit_id == audit_id))
        assert saved == "about ten"


def test_a_date_that_is_not_real_is_kept_as_typed_and_explained(
    client, app, make_user, sign_in, templates_loaded
):
    sign_in(make_user(Role.AUDITOR))
    with app.app_context():
        versions = db.session.scalars(select(TemplateVersion)).all()
        key, criterion, section = next(
            (v.key, c, v.definition.section_of(c.key).key)
            for v in versions
            for c in v.definition.criteria()
            if c.type == "date" and c.show_if is None
        )
    audit_id = start_audit_through_the_form(client, app, template_key=key)
    response = save_page(
        client, app, audit_id, section, {f"answer__{criterion.key}": ["31", "2", "2026"]}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "must be a real date" in html and f'href="#answer__{criterion.key}-day"' in html
    reloaded = client.get(f"/audits/{audit_id}/sections/{section}").get_data(as_text=True)
    assert 'value="31"' in reloaded and 'value="2026"' in reloaded


def test_a_stale_save_shows_both_versions_and_keeps_the_chosen_one(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    criterion = first_scale_criterion(definition)
    section = definition.section_of(criterion.key).key
    stale = lock_version(app, audit_id)
    url = f"/audits/{audit_id}/sections/{section}"
    first = {
        "lock_version": stale,
        f"rationale__{criterion.key}": "Synthetic: first tab",
        "action_save": "Save",
    }
    assert client.post(url, data=first).status_code == 302
    second = {
        "lock_version": stale,
        f"rationale__{criterion.key}": "Synthetic: second tab",
        "action_save": "Save",
    }
    response = client.post(url, data=second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Synthetic: first tab" in html and "Synthetic: second tab" in html
    with app.app_context():
        assert db.session.scalar(select(Answer.rationale)) == "Synthetic: first tab"
    mine = (
        html.split('name="mine" value="')[1]
        .split('"')[0]
        .replace("&#34;", '"')
        .replace("&quot;", '"')
    )
    choose = {
        "resolve": "1",
        "lock_version": lock_version(app, audit_id),
        "mine": mine,
        f"choice__{criterion.key}": "mine",
    }
    assert client.post(url, data=choose).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Answer.rationale)) == "Synthetic: second tab"


def test_answers_posted_after_the_session_ended_are_kept_until_signing_in_again(
    client, app, make_user, sign_in, templates_loaded
):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    criterion = first_scale_criterion(definition)
    section = definition.section_of(criterion.key).key
    version = lock_version(app, audit_id)
    page_token = csrf_token_in(client.get(f"/audits/{audit_id}/sections/{section}"))
    client.delete_cookie("session", domain="qa.test")
    typed = "Synthetic: an hour of careful writing"
    response = client.post(
        f"/audits/{audit_id}/sections/{section}",
        data={
            "csrf_token": page_token,
            "lock_version": version,
            f"rationale__{criterion.key}": typed,
            "action_save": "Save",
        },
    )
    assert response.status_code == 302 and "/sign-in" in response.location
    sign_in(user)
    back = (
        response.location.split("next=")[1]
        .replace("%2F", "/")
        .replace("%3F", "?")
        .replace("%3D", "=")
    )
    page = client.get(back).get_data(as_text=True)
    assert typed in page and "We kept what you typed" in page
    token = back.split("held=")[1]
    saved = client.post(
        f"/audits/{audit_id}/sections/{section}",
        data={
            "lock_version": version,
            "held_token": token,
            f"rationale__{criterion.key}": typed,
            "action_save": "Save",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        from qa_app.models import HeldForm

        assert db.session.scalar(select(Answer.rationale)) == typed
        assert db.session.scalar(select(func.count(HeldForm.id))) == 0


def csrf_token_in(response) -> str:
    """Return the CSRF token a page carries (the sign-out form has one on every page)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))[1]


def test_an_expired_csrf_token_also_keeps_the_answers(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    section = definition.sections[0].key
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        f"/audits/{audit_id}/sections/{section}",
        data={
            "csrf_token": "stale",
            "lock_version": lock_version(app, audit_id),
            "overall_rationale": "x",
            "action_save": "Save",
        },
    )
    assert response.status_code == 302 and "held=" in response.location


def test_autosave_saves_in_the_background_and_refuses_a_stale_copy(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    criterion = first_scale_criterion(definition)
    section = definition.section_of(criterion.key).key
    stale = lock_version(app, audit_id)
    url = f"/audits/{audit_id}/autosave/{section}"
    response = client.post(
        url, data={"lock_version": stale, f"rationale__{criterion.key}": "Synthetic: typed"}
    )
    assert response.status_code == 200 and response.json["status"] == "saved"
    assert response.json["lock_version"] == int(stale) + 1
    conflict = client.post(
        url, data={"lock_version": stale, f"rationale__{criterion.key}": "Synthetic: other"}
    )
    assert (conflict.status_code, conflict.json["status"]) == (409, "conflict")
    with app.app_context():
        assert db.session.scalar(select(Answer.rationale)) == "Synthetic: typed"


def test_the_practitioner_and_family_page_saves_who_took_part(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    response = client.post(
        f"/audits/{audit_id}/practice",
        data={
            "lock_version": lock_version(app, audit_id),
            "with_practitioner": "yes",
            "practitioner_reflection": "Synthetic: the worker reflected on drift.",
            "family_feedback_sought": "no",
            "action_continue": "Save",
        },
    )
    assert response.location.endswith(f"/audits/{audit_id}/overall")
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.with_practitioner is True and audit.family_feedback_sought is False
        assert audit.practitioner_reflection == "Synthetic: the worker reflected on drift."


def test_an_auditor_cannot_open_someone_elses_audit(client, app, auditor, make_user, sign_in):
    audit_id = start_audit_through_the_form(client, app)
    client.post("/sign-out")
    sign_in(make_user(Role.AUDITOR))
    assert client.get(f"/audits/{audit_id}").status_code == 403
    assert client.get(f"/audits/{audit_id}/view").status_code == 404


def test_a_case_held_by_another_team_cannot_be_started_under_the_wrong_team(client, app, auditor):
    start_audit_through_the_form(client, app, reference="SYN-555")
    with app.app_context():
        other = Team(name="Other team (synthetic)")
        db.session.add(other)
        db.session.commit()
        other_id, version_id = other.id, db.session.scalar(select(TemplateVersion.id))
    response = client.post(
        "/audits/new",
        data={
            "template_version_id": str(version_id),
            "case_reference": "syn-555",
            "team_id": str(other_id),
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The page says the case is not in the team chosen, never which team holds it.
    assert "case SYN-555 is not held by the team you selected" in html
    assert "is held by" not in html
