"""The access log: who viewed which audit or case, when, and from which page.

One central request hook records every successful GET of a page whose URL names an audit or a
case (or something that belongs to one, such as a safeguarding concern), so pages added later
are covered without code of their own: an area whose URLs name another kind of record registers
how to find that record's audit and case with ``register_access_subject``. Case-level exports
record each audit they contain with ``record_export``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, request
from flask_login import current_user
from sqlalchemy import Insert, Integer, Select, String, bindparam, insert, literal, null, select
from sqlalchemy.orm import Session

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.models import AccessKind, AccessRecord, Audit, Case, SafeguardingConcern

# A view argument's value -> a select of one row (audit id or NULL, case id).
SubjectQuery = Callable[[int], Select]

_SUBJECTS: dict[str, SubjectQuery] = {}
# One INSERT ... SELECT per view argument, built once with bound parameters: every page view
# writes a row, and building and compiling the statement anew cost more than running it.
_VIEW_STATEMENTS: dict[str, Insert] = {}


def register_access_subject(view_arg: str, subject_query: SubjectQuery) -> None:
    """Record views of pages whose URL has ``view_arg``, against the audit and case it selects.

    The first registered argument present in a URL wins, so ``audit_id`` (registered first) is
    used for ``/audits/<audit_id>/concern/<concern_id>``.
    """
    _SUBJECTS[view_arg] = subject_query
    _VIEW_STATEMENTS.pop(view_arg, None)


def recorded_view_args() -> tuple[str, ...]:
    """Return the URL arguments whose pages are recorded in the access log."""
    return tuple(_SUBJECTS)


def _audit_subject(audit_id: int) -> Select:
    return select(Audit.id, Audit.case_id).where(Audit.id == audit_id)


def _case_subject(case_id: int) -> Select:
    return select(null().cast(Integer), Case.id).where(Case.id == case_id)


def _concern_subject(concern_id: int) -> Select:
    return select(SafeguardingConcern.audit_id, SafeguardingConcern.case_id).where(
        SafeguardingConcern.id == concern_id
    )


register_access_subject("audit_id", _audit_subject)
register_access_subject("case_id", _case_subject)
register_access_subject("concern_id", _concern_subject)


def _view_statement(view_arg: str) -> Insert:
    statement = _VIEW_STATEMENTS.get(view_arg)
    if statement is None:
        subject = _SUBJECTS[view_arg](bindparam("subject_id", type_=Integer)).subquery()
        statement = insert(AccessRecord).from_select(
            ["at", "user_id", "audit_id", "case_id", "kind", "page"],
            select(
                bindparam("at", type_=AccessRecord.at.type),
                bindparam("user_id", type_=Integer),
                subject.c[0],
                subject.c[1],
                literal(AccessKind.VIEW),
                bindparam("page", type_=String),
            ),
        )
        _VIEW_STATEMENTS[view_arg] = statement
    return statement


def record_view(session: Session, user_id: int, page: str, view_arg: str, value: int) -> None:
    """Insert one access record for the audit or case the view argument names (one statement,
    run on the session's connection in its transaction)."""
    session.connection().execute(
        _view_statement(view_arg),
        {"at": utcnow(), "user_id": user_id, "page": page[:80], "subject_id": value},
    )


def record_export(session: Session, user_id: int, page: str, audits: Select) -> None:
    """Record a case-level export: one access record per audit ``audits`` selects (by id),
    in one statement, in the caller's transaction."""
    chosen = audits.subquery()
    session.execute(
        insert(AccessRecord).from_select(
            ["at", "user_id", "audit_id", "case_id", "kind", "page"],
            select(
                literal(utcnow(), AccessRecord.at.type),
                literal(user_id),
                Audit.id,
                Audit.case_id,
                literal(AccessKind.EXPORT),
                literal(page[:80]),
            ).where(Audit.id.in_(select(chosen.c[0]))),
        )
    )


def _record_access(response: Response) -> Response:
    if request.method != "GET" or response.status_code != 200 or not request.view_args:
        return response
    if not current_user.is_authenticated:
        return response
    for view_arg in _SUBJECTS:
        value = request.view_args.get(view_arg)
        if isinstance(value, int):
            record_view(db.session, current_user.id, request.endpoint or "", view_arg, value)
            db.session.commit()
            break
    return response


def init_access_log(app: Flask) -> None:
    """Record every view of a page naming an audit or a case."""
    app.after_request(_record_access)
