"""The upload pages: check a template file, see what would change, load it; and downloading a
stored version as YAML or as the Excel workbook."""

from __future__ import annotations

import base64
import binascii
import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.template_admin import queries
from qa_app.template_admin.changes import group_changes
from qa_app.template_admin.forms import LoadTemplateForm, UploadTemplateForm
from qa_app.template_admin.routes import LOADERS, QA_LEADS, bp
from qa_app.template_admin.upload import (
    MAX_UPLOAD_BYTES,
    UploadCheck,
    check_upload,
    load_upload,
    safe_filename,
)
from qa_app.template_format.excel import write_template_workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/upload", methods=["GET", "POST"])
@role_required(*LOADERS)
def upload():
    """Check an uploaded file: every problem, or what loading it would change."""
    form = UploadTemplateForm()
    if not form.validate_on_submit():
        return _upload_page(form, None), 400 if form.errors else 200
    filename = safe_filename(form.file.data.filename) or "template.yaml"
    data = form.file.data.stream.read(MAX_UPLOAD_BYTES + 1)
    check = check_upload(db.session, filename, data)
    db.session.rollback()  # checking never stores anything
    if check.problems:
        form.file.errors = [*form.file.errors, _refusal(check)]
        return _upload_page(form, check), 400
    load_form = LoadTemplateForm(formdata=None)
    load_form.filename.data = filename
    load_form.source.data = base64.b64encode(check.text.encode("utf-8")).decode("ascii")
    return _upload_page(UploadTemplateForm(formdata=None), check, load_form)


@bp.route("/upload/load", methods=["POST"])
@role_required(*LOADERS)
def load():
    """Store the checked file, all or nothing, after checking it again."""
    form = LoadTemplateForm()
    if not form.validate_on_submit():  # only the CSRF token can fail
        abort(400)
    try:
        text = base64.b64decode(form.source.data or "", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        abort(400)
    filename = safe_filename(form.filename.data) or "template.yaml"
    check = load_upload(db.session, current_user, filename, text)
    if check.problems:
        # Changed since it was checked (someone loaded the same version meanwhile, say).
        db.session.rollback()
        upload_form = UploadTemplateForm(formdata=None)
        upload_form.file.errors = [_refusal(check)]
        return _upload_page(upload_form, check), 409
    planned = check.planned
    if planned is None or planned.status == "unchanged":
        db.session.rollback()
        flash("That version is already loaded: nothing was changed.", "info")
        return redirect(url_for("template_admin.template_list"))
    db.session.commit()
    definition = planned.definition
    flash(f"{definition.title}, version {definition.version}, loaded.", "success")
    return redirect(url_for("template_admin.template_list") + f"#template-{definition.key}")


@bp.route("/<key>/versions/<int:version>.yaml")
@role_required(*QA_LEADS)
def download_yaml(key: str, version: int):
    """The stored version's file, exactly as it was loaded."""
    stored = _version_or_404(key, version)
    return send_file(
        io.BytesIO(stored.source_text.encode("utf-8")),
        mimetype="application/yaml",
        as_attachment=True,
        download_name=f"{key}-v{version}.yaml",
    )


@bp.route("/<key>/versions/<int:version>.xlsx")
@role_required(*QA_LEADS)
def download_xlsx(key: str, version: int):
    """The stored version as the workbook QA staff edit in Excel (upload it back here)."""
    stored = _version_or_404(key, version)
    stream = io.BytesIO()
    write_template_workbook(stored.definition, stream)
    stream.seek(0)
    return send_file(
        stream, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{key}-v{version}.xlsx"
    )


def _version_or_404(key: str, version: int):
    stored = queries.get_version(db.session, key, version)
    if stored is None:
        abort(404)
    return stored


def _refusal(check: UploadCheck) -> str:
    count = len(check.problems)
    what = "a problem" if count == 1 else f"{count} problems"
    return f"{check.filename} has {what}: fix it and upload it again. Nothing was loaded"


def _upload_page(form: UploadTemplateForm, check: UploadCheck | None, load_form=None):
    context: dict[str, object] = {"form": form, "check": check, "load_form": load_form}
    planned = check.planned if check else None
    if planned is not None and not check.problems:
        latest = queries.get_version(db.session, planned.definition.key)
        context["planned"] = planned
        context["latest"] = latest
        if planned.status == "new version" and latest is not None:
            groups = group_changes(list(planned.changes), latest.definition, planned.definition)
            context["groups"] = groups
            context["total"] = sum(len(group.rows) for group in groups)
    return render_template("template_admin/upload.html", **context)
