"""The append-only event log records that written text changed, never the text itself; the
text's history lives in the revisions table, which retention can purge."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, func, select

from qa_app.audits.change_log import answer_change, is_grade
from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, Role, TextRevision
from tests.audits.helpers import (
    complete_answers,
    fill_whole_audit,
    lock_version,
    save_page,
    start_audit_through_the_form,
)
from tests.audits.small_template import small_definition

SECRET = "Synthetic: child 1 said the visits felt rushed"


@pytest.fixture
def auditor(make_user, sign_in, templates_loaded):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    return user


def _log(app, audit_id: int) -> str:
    with app.app_context():
        return json.dumps(
            [
                e.details
                for e in db.session.scalars(
                    select(AuditEvent).where(AuditEvent.audit_id == audit_id)
                )
            ]
        )


def _revisions(app, audit_id: int) -> dict[str, list[str | None]]:
    with app.app_context():
        found: dict[str, list[str | None]] = {}
        for revision in db.session.scalars(
            select(TextRevision).where(TextRevision.audit_id == audit_id).order_by(TextRevision.id)
        ):
            found.setdefault(revision.field, []).append(revision.text)
        return found


def _text_criterion(definition):
    return next(c for c in definition.criteria() if c.type == "text" and c.show_if is None)


def test_no_written_text_reaches_the_log_from_any_audit_page(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    written = _text_criterion(definition)
    scale = next(c for c in definition.criteria() if c.type == "scale" and c.show_if is None)
    grade = definition.scale(scale.scale).options[0].value
    section = definition.section_of(written.key)
    save_page(client, app, audit_id, section.key, {f"answer__{written.key}": SECRET + " (a)"})
    save_page(
        client,
        app,
        audit_id,
        definition.section_of(scale.key).key,
        {f"answer__{scale.key}": grade, f"rationale__{scale.key}": SECRET + " (b)"},
    )
    save_page(
        client,
        app,
        audit_id,
        "overall",
        {"overall_rationale": SECRET + " (c)", "override_reason": SECRET + " (d)"},
    )
    client.post(
        f"/audits/{audit_id}/practice",
        data={
            "practitioner_reflection": SECRET + " (e)",
            "family_feedback": SECRET + " (f)",
            "lock_version": lock_version(app, audit_id),
            "action_save": "Save",
        },
    )
    log = _log(app, audit_id)
    assert "child 1" not in log
    assert f'"new_length": {len(SECRET) + 4}' in log
    kept = _revisions(app, audit_id)
    assert kept[f"answer:{written.key}"] == [SECRET + " (a)"]
    assert kept[f"rationale:{scale.key}"] == [SECRET + " (b)"]
    assert kept["rationale:overall"] == [SECRET + " (c)"]
    assert kept["override_reason"] == [SECRET + " (d)"]
    assert kept["practitioner_reflection"] == [SECRET + " (e)"]
    assert kept["family_feedback"] == [SECRET + " (f)"]
    # Grades stay in the log, old to new.
    with app.app_context():
        saved = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.audit_id == audit_id, AuditEvent.action == "audit_saved"
            )
        ).all()
    grade_changes = [c for e in saved for c in e.details["changes"] if c.get("new") == grade]
    assert grade_changes == [
        {
            "criterion": scale.key,
            "old": None,
            "new": grade,
            "rationale_changed": True,
            "rationale": grade_changes[0]["rationale"],
        }
    ]


def test_autosaves_while_typing_update_one_revision(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    written = _text_criterion(definition)
    section = definition.section_of(written.key)
    for typed in ("Synthetic", "Synthetic note", "Synthetic note, longer"):
        response = client.post(
            f"/audits/{audit_id}/autosave/{section.key}",
            data={f"answer__{written.key}": typed, "lock_version": lock_version(app, audit_id)},
        )
        assert response.json["status"] == "saved"
    assert _revisions(app, audit_id) == {f"answer:{written.key}": ["Synthetic note, longer"]}
    assert "Synthetic note" not in _log(app, audit_id)


def test_a_return_reason_is_shown_to_the_auditor_but_kept_out_of_the_log(
    client, app, make_user, sign_in, auditor
):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    fill_whole_audit(client, app, audit_id, definition, post)
    client.post(f"/audits/{audit_id}/submit", data={"lock_version": lock_version(app, audit_id)})
    client.post("/sign-out")
    sign_in(make_user(Role.MANAGER, team=None))
    reason = "Synthetic: say what the family were told about consent"
    response = client.post(f"/manage/audits/{audit_id}/return", data={"reason": reason})
    assert response.status_code == 302
    assert "family were told" not in _log(app, audit_id)
    assert _revisions(app, audit_id)["return_reason"] == [reason]
    client.post("/sign-out")
    sign_in(auditor)
    assert reason in client.get(f"/audits/{audit_id}").get_data(as_text=True)


def test_retention_can_purge_revisions_while_the_log_stays(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    written = _text_criterion(definition)
    save_page(
        client, app, audit_id, definition.section_of(written.key).key,
        {f"answer__{written.key}": SECRET},
    )  # fmt: skip
    with app.app_context():
        events = db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.execute(delete(TextRevision).where(TextRevision.audit_id == audit_id))
        db.session.commit()
        assert db.session.scalar(select(func.count(TextRevision.id))) == 0
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events
        assert db.session.get(Audit, audit_id) is not None


def test_a_radio_posted_with_free_text_is_logged_as_text_not_copied():
    definition = small_definition()
    assert is_grade(definition, "risk", "good")
    assert not is_grade(definition, "risk", "a sentence about a child")
    assert not is_grade(definition, "notes-that-do-not-exist", "x")
    change, revisions = answer_change(
        definition, "risk", (None, None), ("a sentence about a child", None), lambda t: "h"
    )
    assert change == {
        "criterion": "risk",
        "answer": {"old_length": 0, "new_length": 24, "hash": "h"},
        "rationale_changed": False,
    }
    assert revisions == [("answer:risk", "a sentence about a child")]


def test_numbers_dates_and_tags_are_grades_in_the_log():
    definition = small_definition()
    assert is_grade(definition, "visits", "12")
    assert not is_grade(definition, "visits", "twelve visits to mother")
    assert is_grade(definition, "overall", "good")
    assert is_grade(definition, "voice.judgement", "good")
    assert not is_grade(definition, "voice.judgement", "fine really")
