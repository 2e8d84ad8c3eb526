"""The event log is never purged, so it holds ids and settings: no case reference, no typed text."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.follow_up.operations import ActionDetails, change_action
from qa_app.models import Action, AuditEvent, Case, User

TYPED_TEXT = ("Synthetic action text", "Synthetic concern text", "Team manager", "Duty officer")


def test_no_event_holds_a_case_reference_or_typed_text(
    app, people, draft_audit, audit_with_follow_up
):
    with app.app_context():
        action = db.session.get(Action, audit_with_follow_up["action_id"])
        change_action(
            db.session,
            action,
            db.session.get(User, people.auditor.id),
            ActionDetails(
                "Synthetic action text, changed",
                None,
                "Duty officer",
                date(2099, 2, 1),
                "low",
                "case",
            ),
            today=date(2026, 1, 1),
        )
        db.session.commit()

        references = list(db.session.scalars(select(Case.reference)))
        events = list(db.session.scalars(select(AuditEvent)))
        actions = {event.action for event in events}
        # The audits were started through the form and directly, with an action and a concern.
        assert {"audit_started", "action_added", "action_changed", "concern_raised"} <= actions
        assert len(references) >= 2
        for event in events:
            written = json.dumps(event.details, default=str)
            for reference in references:
                assert reference not in written, (event.action, reference)
            for text in TYPED_TEXT:
                assert text not in written, (event.action, text)

        started = [e for e in events if e.action == "audit_started"]
        assert all(isinstance(e.details["case_id"], int) for e in started)
        (changed,) = [e for e in events if e.action == "action_changed"]
        assert {"field": "owner_role", "changed": True} in changed.details["changes"]
