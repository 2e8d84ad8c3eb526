"""A big pack runs as a background job: progress page, owner-only download, expiry, retry."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.base_model import utcnow
from qa_app.demo.seed import seed_demo_data
from qa_app.extensions import db
from qa_app.jobs.runner import clean_up_jobs
from qa_app.models import AuditEvent, Job, JobStatus, Role
from qa_app.reports import pack_job
from qa_app.reports.pack_builder import sheet_titles
from tests.html_checks import check_page
from tests.jobs.conftest import running_worker, wait_for_job


@pytest.fixture
def demo_data(queued_app, templates_loaded):
    with queued_app.app_context():
        seed_demo_data(db.session)
        db.session.commit()


def _ask_for_pack(client) -> int:
    response = client.post("/reports/pack", data={"tier": "de_identified", "with_data": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.location.rstrip("/").split("/")[-1])


def test_a_big_pack_is_made_by_the_worker_and_only_its_owner_can_download_it(
    queued_app, client, demo_data, make_user, sign_in
):
    queued_app.config["PACK_JOB_ANSWERS"] = 0  # every pack is "big"
    owner = make_user(Role.ADMIN, team=None)
    sign_in(owner)
    job_id = _ask_for_pack(client)
    waiting = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    page = check_page(waiting)
    assert page.title.startswith("Making the leadership pack")
    assert '<meta http-equiv="refresh"' in waiting and "Waiting for a worker" in waiting

    with running_worker(queued_app):
        job = wait_for_job(queued_app, job_id)
    assert job.status == JobStatus.DONE, job.error
    assert stat.S_IMODE(os.stat(job.result_path).st_mode) == 0o600

    done = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    check_page(done)
    assert "http-equiv" not in done and "Download case-audit-pack-" in done
    with client.get(f"/jobs/{job_id}/download") as download:
        assert download.status_code == 200
        assert load_workbook(BytesIO(download.data)).sheetnames == sheet_titles()
    with queued_app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "pack_exported"))
        assert event.one().details["made"] == "background job"

    client.post("/sign-out")
    sign_in(make_user(Role.ADMIN, team=None))
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/download").status_code == 404


def test_result_files_are_deleted_after_their_keeping_time(
    queued_app, client, demo_data, make_user, sign_in
):
    queued_app.config["PACK_JOB_ANSWERS"] = 0
    sign_in(make_user(Role.ADMIN, team=None))
    job_id = _ask_for_pack(client)
    with running_worker(queued_app):
        job = wait_for_job(queued_app, job_id)
    with queued_app.app_context():
        assert clean_up_jobs(db.session) == {"expired": 0, "stopped": 0}
        counts = clean_up_jobs(db.session, now=utcnow() + timedelta(hours=25))
        assert counts == {"expired": 1, "stopped": 0}
        assert db.session.get(Job, job_id).status == JobStatus.EXPIRED
    assert not os.path.exists(job.result_path)
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert "has been deleted" in client.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_a_failed_job_says_what_failed_and_can_be_tried_again(
    queued_app, client, demo_data, make_user, sign_in, monkeypatch
):
    queued_app.config["PACK_JOB_ANSWERS"] = 0
    sign_in(make_user(Role.ADMIN, team=None))
    job_id = _ask_for_pack(client)
    real_write_pack = pack_job.write_pack
    calls = []

    def fail_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_write_pack(*args, **kwargs)

    monkeypatch.setattr(pack_job, "write_pack", fail_once)
    with running_worker(queued_app):
        job = wait_for_job(queued_app, job_id)
    assert job.status == JobStatus.FAILED
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Something went wrong while making the leadership pack" in page
    assert os.listdir(queued_app.config["EXPORTS_DIR"]) == []  # no half-written file left
    client.post(f"/jobs/{job_id}/retry")
    with running_worker(queued_app):
        job = wait_for_job(queued_app, job_id)
    assert job.status == JobStatus.DONE and job.attempts == 2
