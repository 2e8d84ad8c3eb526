"""Big case lists are imported by a background job: same checks, all or nothing, row report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import BytesIO

from sqlalchemy import func, select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.jobs.runner import clean_up_jobs
from qa_app.models import Case, Job, JobStatus, Role
from tests.conftest import ROOT
from tests.html_checks import check_page
from tests.jobs.conftest import running_worker, wait_for_job

HEADINGS = "Case reference,Team,Case type,Allocated worker,Date opened\n"


def _case_list(rows: int, bad_row: int | None = None) -> bytes:
    lines = [HEADINGS]
    for n in range(rows):
        case_type = "Not a type" if n == bad_row else "CIN"
        lines.append(f"SYN-{n:06d},Synthetic team {n % 3},{case_type},,01/02/2026\n")
    return "".join(lines).encode()


def _upload(client, content: bytes) -> int:
    response = client.post(
        "/admin/cases/import",
        data={"file": (BytesIO(content), "cases.csv"), "create_teams": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert "/jobs/" in response.location
    return int(response.location.rstrip("/").split("/")[-1])


def _cases(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_a_big_case_list_is_imported_by_the_worker(queued_app, client, make_user, sign_in):
    queued_app.config["CASE_IMPORT_JOB_ROWS"] = 100
    sign_in(make_user(Role.ADMIN, team=None))
    job_id = _upload(client, _case_list(3_000))
    assert _cases(queued_app) == 0
    with running_worker(queued_app):
        job = wait_for_job(queued_app, job_id)
    assert job.status == JobStatus.DONE, job.error
    assert _cases(queued_app) == 3_000
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    check_page(page)
    assert "See what the import did" in page
    assert not os.path.exists(job.params["upload"])


def test_a_big_case_list_with_a_bad_row_imports_nothing_and_reports_the_row(
    queued_app, client, make_user, sign_in
):
    queued_app.config["CASE_IMPORT_JOB_ROWS"] = 100
    sign_in(make_user(Role.ADMIN, team=None))
    job_id = _upload(client, _case_list(3_000, bad_row=2_500))
    with running_worker(queued_app):
        job = wait_for_job(queued_app, job_id)
    assert job.status == JobStatus.FAILED
    assert _cases(queued_app) == 0
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    check_page(page)
    assert "1 problem was found" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2502</td>' in page


def test_a_worker_killed_in_the_middle_of_an_import_leaves_the_database_unchanged(
    queued_app, client, make_user, sign_in, tmp_path
):
    queued_app.config["CASE_IMPORT_JOB_ROWS"] = 100
    sign_in(make_user(Role.ADMIN, team=None))
    job_id = _upload(client, _case_list(8_000))  # under 500 KB: the test client keeps it in memory
    config = {
        key: queued_app.config[key]
        for key in (
            "SQLALCHEMY_DATABASE_URI",
            "JOBS_SQLITE_PATH",
            "EXPORTS_DIR",
            "AUDIT_TEMPLATES_DIR",
        )
    } | {"TESTING": True, "SECRET_KEY": "test-secret", "JOBS_IMMEDIATE": False}
    pause_file = tmp_path / "paused"
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.worker_process", json.dumps(config), str(pause_file)],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not pause_file.exists():
            assert worker.poll() is None, "the worker stopped on its own"
            assert time.monotonic() < deadline, "the worker never started writing"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)  # mid-transaction: 5,000 cases written, not committed
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert _cases(queued_app) == 0
    with queued_app.app_context():
        assert db.session.get(Job, job_id).status == JobStatus.RUNNING
        clean_up_jobs(db.session, now=utcnow() + timedelta(hours=1))
        job = db.session.get(Job, job_id)
        assert job.status == JobStatus.FAILED and "nothing was changed" in job.error
