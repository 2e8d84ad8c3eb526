"""What is held for a signed-out save is bounded, and kept apart for each user."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from qa_app.audits.held_forms import MAX_HELD_PER_AUDIT, held_form, hold_form
from qa_app.extensions import db
from qa_app.models import HeldForm, Role
from tests.audits.helpers import start_audit_through_the_form


def test_only_the_newest_holds_per_audit_are_kept_and_oversized_posts_are_not_held(
    app, client, make_user, sign_in, templates_loaded
):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    audit_id = start_audit_through_the_form(client, app)
    with app.app_context():
        tokens = [
            hold_form(
                db.session,
                audit_id,
                "consent",
                user.id,
                MultiDict({"rationale__x": f"Synthetic {n}"}),
            )
            for n in range(MAX_HELD_PER_AUDIT + 3)
        ]
        db.session.commit()
        assert db.session.scalar(select(func.count(HeldForm.id))) == MAX_HELD_PER_AUDIT
        assert held_form(db.session, tokens[0], audit_id, "consent", user.id) is None
        newest = held_form(db.session, tokens[-1], audit_id, "consent", user.id)
        assert newest.get("rationale__x") == f"Synthetic {MAX_HELD_PER_AUDIT + 2}"
        assert held_form(db.session, tokens[-1], audit_id, "overall", user.id) is None
        huge = MultiDict({"rationale__x": "x" * 1_000_001})
        assert hold_form(db.session, audit_id, "consent", user.id, huge) is None
        assert hold_form(db.session, 999_999, "consent", user.id, MultiDict({"a": "b"})) is None
