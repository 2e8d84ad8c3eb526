"""Pages for safeguarding concerns: raising one, the managers' list, and responding."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.follow_up import access, operations, queries
from qa_app.follow_up.forms import AcknowledgeConcernForm, ConcernForm, error_summary
from qa_app.follow_up.routes import bp
from qa_app.follow_up.view_helpers import ANY_ROLE, MANAGERS, audit_or_abort, audit_url
from qa_app.follow_up.working_days import as_utc
from qa_app.models import SafeguardingConcern


@bp.route("/audits/<int:audit_id>/concern", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def raise_concern(audit_id: int):
    audit = audit_or_abort(audit_id)
    if not access.can_raise_concern(db.session, current_user, audit):
        abort(403)
    form = ConcernForm()
    if form.validate_on_submit():
        # Its own transaction, committed at once: nothing else on the audit needs to be saved
        # or valid for the concern to reach the managers.
        concern = operations.raise_concern(db.session, audit, current_user, form.description.data)
        db.session.commit()
        return redirect(
            url_for("follow_up.concern_raised", audit_id=audit.id, concern_id=concern.id)
        )
    return render_template(
        "follow_up/raise_concern.html",
        audit=audit,
        form=form,
        errors=error_summary(form),
        audit_url=audit_url(audit),
    ), 400 if form.errors else 200


@bp.route("/audits/<int:audit_id>/concern/<int:concern_id>")
@role_required(*ANY_ROLE)
def concern_raised(audit_id: int, concern_id: int):
    audit = audit_or_abort(audit_id)
    concern = db.session.get(SafeguardingConcern, concern_id)
    if concern is None or concern.audit_id != audit.id:
        abort(404)
    if concern.raised_by_id != current_user.id and not access.can_respond_to_concern(
        current_user, concern
    ):
        abort(403)
    return render_template(
        "follow_up/concern_raised.html",
        audit=audit,
        concern=concern,
        managers=queries.managers_of_team(db.session, concern.team_id),
        every_team=queries.concern_responders_for_every_team(db.session),
        audit_url=audit_url(audit),
    )


@bp.route("/concerns")
@role_required(*MANAGERS)
def concern_list():
    return render_template(
        "follow_up/concern_list.html",
        rows=queries.open_concerns(db.session, current_user, utcnow()),
        acknowledged=queries.recently_acknowledged_concerns(db.session, current_user),
    )


@bp.route("/concerns/<int:concern_id>", methods=["GET", "POST"])
@role_required(*MANAGERS)
def acknowledge_concern(concern_id: int):
    concern = queries.get_concern(db.session, current_user, concern_id)
    if concern is None:
        abort(404)
    form = AcknowledgeConcernForm()
    # A manager whose page went stale keeps what they typed and sees who answered first.
    beaten = request.method == "POST" and concern.acknowledged_at is not None
    if not beaten and form.validate_on_submit():
        try:
            operations.acknowledge_concern(db.session, concern, current_user, form.response.data)
        except operations.ConcernAlreadyAcknowledged:
            db.session.rollback()
            db.session.refresh(concern)
            beaten = True
        else:
            db.session.commit()
            flash(f"Concern about case {concern.case.reference} acknowledged.", "success")
            return redirect(url_for("follow_up.concern_list"))
    overdue = concern.acknowledged_at is None and utcnow() > as_utc(concern.respond_by)
    status = 409 if beaten else 400 if form.errors else 200
    return render_template(
        "follow_up/acknowledge_concern.html",
        concern=concern,
        form=form,
        errors=error_summary(form),
        overdue=overdue,
        beaten=beaten,
        typed=form.response.data if beaten else None,
    ), status
