"""Case lists: importing a file of cases, and seeing the cases held."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import PurePath

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from qa_app.auth.login import role_required
from qa_app.cases import queries
from qa_app.cases.forms import ImportCasesForm
from qa_app.cases.operations import CaseImportResult, import_case_list
from qa_app.cases.presentation import (
    PROBLEMS_SHOWN,
    case_type_columns,
    error_summary_items,
    size_text,
)
from qa_app.display import format_date
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.request_limits import accepts_uploads

bp = Blueprint("cases", __name__, url_prefix="/admin/cases", template_folder="templates")

PAGE_SIZE = 50
# Uploads up to this size are held in memory; larger ones go to a temporary file on disk.
IN_MEMORY_BYTES = 1024 * 1024
COPY_CHUNK_BYTES = 256 * 1024


@bp.route("/")
@role_required(Role.ADMIN)
def case_list():
    page = max(request.args.get("page", 1, type=int), 1)
    total = queries.count_cases(db.session)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page > pages:
        abort(404)
    counts = queries.case_counts_by_team(db.session)
    return render_template(
        "cases/case_list.html",
        counts=counts,
        type_columns=case_type_columns(counts),
        cases=queries.list_cases(
            db.session, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, total=total
        ),
        total=total,
        page=page,
        pages=pages,
        format_date=format_date,
    )


@bp.route("/import", methods=["GET", "POST"])
@accepts_uploads
@role_required(Role.ADMIN)
def import_cases():
    form = ImportCasesForm()
    result: CaseImportResult | None = None
    if form.validate_on_submit():
        upload = form.file.data
        filename = PurePath(upload.filename or "").name
        # Work from a temporary file: the readers stream it, and read it more than once.
        with tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES) as stream:
            shutil.copyfileobj(upload.stream, stream, COPY_CHUNK_BYTES)
            try:
                result = import_case_list(
                    db.session,
                    stream,
                    filename,
                    current_user,
                    create_teams=form.create_teams.data,
                    sheet=form.sheet.data or None,
                )
            except IntegrityError:
                db.session.rollback()
                result = CaseImportResult(
                    filename,
                    file_problems=[
                        "Cases were changed by someone else while this file was imported, so "
                        "nothing was imported: select the file and import it again"
                    ],
                )
        if result.imported:
            db.session.commit()
            return redirect(url_for(".import_result", event_id=result.event_id))
        db.session.rollback()
        form.file.errors = [
            *form.file.errors,
            "The file was not imported: fix it and select it again",
        ]
    return _import_page(form, result)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    # The body is refused before the form (or the sign-in check) runs, so check the role here.
    if not (current_user.is_authenticated and current_user.has_role(Role.ADMIN)):
        return error
    form = ImportCasesForm(formdata=None)
    limit = size_text(request.max_content_length or 0)
    form.file.errors = [f"The selected file must be smaller than {limit}"]
    return _import_page(form, None), 413


@bp.route("/import/<int:event_id>")
@role_required(Role.ADMIN)
def import_result(event_id: int):
    event = queries.get_import_event(db.session, event_id)
    if event is None:
        abort(404)
    return render_template("cases/import_result.html", event=event, details=event.details)


def _import_page(form: ImportCasesForm, result: CaseImportResult | None):
    return render_template(
        "cases/import.html",
        form=form,
        result=result,
        summary_items=error_summary_items(form, result),
        problems_shown=PROBLEMS_SHOWN,
    )
