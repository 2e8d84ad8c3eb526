"""Retention run by the job runner every night, and what else it deletes: finished export files
(by the job runner's own keeping time), earlier versions of written text, held forms."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import func, select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.governance.retention import plan_purge, run_purge
from qa_app.governance.retention_job import TASK_NAME
from qa_app.governance.retention_policy import RetentionSettings
from qa_app.models import Audit, Job, JobStatus, RetentionRun, TextRevision, User
from tests.governance.html_tables import page_text

SHORT = RetentionSettings(case_detail_months=3, batch_size=4)


def _due(huey, moment: datetime) -> set[str]:
    return {task.name for task in huey.read_periodic(moment)}


def test_the_job_runner_purges_every_night_at_the_set_time(app, demo):
    app.config["RETENTION_CASE_DETAIL_MONTHS"] = 3
    huey = app.extensions["qa_jobs"].huey
    assert TASK_NAME in _due(huey, datetime(2026, 12, 8, 2, 30))
    assert TASK_NAME not in _due(huey, datetime(2026, 12, 8, 3, 30))
    with app.app_context():
        expected = plan_purge(db.session, RetentionSettings.from_config(app.config), utcnow())
        assert expected.audits > 0

    # What the worker's scheduler does when the minute comes: enqueue every task that is due.
    for task in huey.read_periodic(datetime(2026, 12, 8, 2, 30)):
        if task.name == TASK_NAME:
            huey.enqueue(task)

    with app.app_context():
        run = db.session.scalar(select(RetentionRun))
        assert run.started_by == "schedule" and run.finished_at is not None
        assert run.counts["audits_purged"] == expected.audits
        assert run.counts["cases_purged"] == expected.cases
        settings = RetentionSettings.from_config(app.config)
        assert plan_purge(db.session, settings, utcnow()).audits == 0


def test_the_nightly_time_is_a_setting(app_factory_config):
    huey = app_factory_config({"RETENTION_NIGHTLY_AT": "23:05"}).extensions["qa_jobs"].huey
    assert TASK_NAME in _due(huey, datetime(2026, 12, 8, 23, 5))
    assert TASK_NAME not in _due(huey, datetime(2026, 12, 8, 2, 30))
    switched_off = app_factory_config({"RETENTION_NIGHTLY_AT": None})
    assert "qa_retention_task" not in switched_off.extensions


def _job(owner_id: int, path: str, status: JobStatus, finished: datetime | None) -> Job:
    with open(path, "wb") as file:
        file.write(b"synthetic export")
    return Job(
        kind="pack",
        owner_id=owner_id,
        title="Making a synthetic pack",
        params={},
        status=status.value,
        result_path=path,
        finished_at=finished,
    )


def test_finished_export_files_go_after_the_job_runners_keeping_time(app, make_user, tmp_path):
    app.config["JOB_RESULT_HOURS"] = 6
    owner = make_user()
    now = utcnow()
    paths = [str(tmp_path / name) for name in ("old.xlsx", "new.xlsx", "failed.xlsx")]
    with app.app_context():
        db.session.add_all(
            [
                _job(owner.id, paths[0], JobStatus.DONE, now - timedelta(hours=7)),
                _job(owner.id, paths[1], JobStatus.DONE, now - timedelta(hours=5)),
                _job(owner.id, paths[2], JobStatus.FAILED, now - timedelta(hours=7)),
            ]
        )
        db.session.commit()
        settings = RetentionSettings.from_config(app.config)
        assert plan_purge(db.session, settings, now).export_files == 1
        run = run_purge(db.session, settings, now=now)
        assert run.counts["export_files_deleted"] == 1
        assert [os.path.exists(path) for path in paths] == [False, True, True]
        statuses = db.session.scalars(select(Job.status).order_by(Job.id)).all()
        assert statuses == ["expired", "done", "failed"]
        assert run_purge(db.session, settings, now=now).counts["export_files_deleted"] == 0


def test_earlier_versions_of_written_text_go_with_the_audit(app, demo):
    with app.app_context():
        cutoff = SHORT.cutoffs(utcnow()).case_detail
        ended = func.coalesce(Audit.closed_at, Audit.submitted_at)
        old = db.session.scalar(select(Audit.id).where(ended < cutoff).limit(1))
        recent = db.session.scalar(select(Audit.id).where(ended >= cutoff).limit(1))
        author = db.session.scalar(select(User.id).limit(1))
        db.session.add_all(
            TextRevision(audit_id=audit_id, field="overall_rationale", text=text, author_id=author)
            for audit_id, text in ((old, "Synthetic old text"), (recent, "Synthetic new text"))
        )
        db.session.commit()
        run = run_purge(db.session, SHORT)
        assert run.counts["text_revisions_deleted"] >= 1
        left = db.session.scalars(select(TextRevision.text).where(TextRevision.audit_id == old))
        assert list(left) == []
        kept = db.session.scalars(select(TextRevision.text).where(TextRevision.audit_id == recent))
        assert "Synthetic new text" in list(kept)


def test_the_retention_page_shows_the_export_file_and_held_form_periods(app, people, client_for):
    app.config["JOB_RESULT_HOURS"] = 12
    app.config["RETENTION_HELD_FORM_DAYS"] = 3
    text = page_text(client_for(people.admin).get("/admin/retention").get_data(as_text=True))
    assert "Finished export files (JOB_RESULT_HOURS) 12 hours" in text
    assert "Held forms (RETENTION_HELD_FORM_DAYS) 3 days" in text
    assert "Finished export files past their period that would be deleted: 0" in text
    assert "Every night at 02:30 UTC (RETENTION_NIGHTLY_AT)" in text
