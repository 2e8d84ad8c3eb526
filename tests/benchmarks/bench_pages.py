"""Pages at a large council's scale: 20,000 audits, on SQLite and PostgreSQL.

For each database (PostgreSQL when its binaries are present; ``BENCH_DATABASES=sqlite`` limits
the run), seeds ``scale_seed`` with Core and prints:

- each list page's first and last page (median of 5, test client):
  ``BENCH pages list=<name> db=<db> first_ms=<n> last_ms=<n> last_over_first=<n>``
- the audit's page, the form page and the sign-in page (median and 95th percentile of 30):
  ``BENCH pages page=<name> db=<db> median_ms=<n> p95_ms=<n> queries=<n>``
- a short gunicorn run (2 workers, 127.0.0.1 only, 8 and 32 connections, 10 s each), the form
  page against the sign-in page: ``BENCH pages conc=<n> form_rps=<n> signin_rps=<n>
  form_over_signin=<n>``

Targets: every list page under 150 ms with last/first under 1.5; the form page at least a third
of the sign-in page's throughput.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from qa_app.extensions import db
from tests.benchmarks.council_seed import bench_app, bench_databases
from tests.benchmarks.scale_seed import AUDITS, PASSWORD, Seeded, seed_large_council

ROOT = Path(__file__).resolve().parents[2]
LIST_RUNS = 5
PAGE_RUNS = 30
LOAD_SECONDS = 10
WARM_SECONDS = 3
CONNECTIONS = (8, 32)
SECRET = "benchmark-secret-synthetic"


def main() -> None:
    for name, url in bench_databases("pages"):
        _run(name, url)


def _run(name: str, url: str) -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = bench_app(
            url, SECRET_KEY=SECRET, SIGN_IN_ACCOUNT_LIMIT=1000, SIGN_IN_ADDRESS_LIMIT=1000
        )
        app.instance_path = instance
        with app.app_context():
            seeded = seed_large_council(db.session)
            db.engine.dispose()
        print(
            f"BENCH pages seed db={name} audits={AUDITS} answers={seeded.answers} "
            f"seconds={seeded.seconds:.1f}",
            flush=True,
        )
        _list_pages(app, name, seeded)
        _single_pages(app, name, seeded)
        with app.app_context():
            db.engine.dispose()
    _gunicorn_run(url, seeded)


def _sign_in(client: FlaskClient, email: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"email": email, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _timed_get(client: FlaskClient, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response.get_data(as_text=True)


def _last_page(html: str) -> int:
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    return max(numbers, default=1)


def _with_page(url: str, page: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}page={page}"


def _list_pages(app: Flask, name: str, seeded: Seeded) -> None:
    lists = [
        ("all_audits", seeded.manager_email, "/manage/audits"),
        (
            "all_audits_filtered",
            seeded.manager_email,
            "/manage/audits?status=submitted&judgement=good&sort=team&order=asc",
        ),
        ("all_audits_by_case", seeded.manager_email, "/manage/audits?sort=case&order=desc"),
        ("all_audits_team_manager", seeded.team_manager_email, "/manage/audits"),
        ("my_audits", seeded.auditor_email, "/audits/"),
        ("cases", seeded.admin_email, "/admin/cases/"),
        ("actions", seeded.manager_email, "/actions"),
        ("concerns", seeded.manager_email, "/concerns"),
    ]
    clients: dict[str, FlaskClient] = {}
    for list_name, email, url in lists:
        if email not in clients:
            clients[email] = app.test_client()
            _sign_in(clients[email], email)
        client = clients[email]
        _, html = _timed_get(client, url)  # warm: templates compiled, definitions parsed
        last_url = _with_page(url, _last_page(html))
        _timed_get(client, last_url)
        first = statistics.median(_timed_get(client, url)[0] for _ in range(LIST_RUNS))
        last = statistics.median(_timed_get(client, last_url)[0] for _ in range(LIST_RUNS))
        print(
            f"BENCH pages list={list_name} db={name} first_ms={first:.0f} last_ms={last:.0f} "
            f"last_over_first={last / first:.2f}",
            flush=True,
        )


def _single_pages(app: Flask, name: str, seeded: Seeded) -> None:
    manager, auditor, anonymous = app.test_client(), app.test_client(), app.test_client()
    _sign_in(manager, seeded.manager_email)
    _sign_in(auditor, seeded.auditor_email)
    pages = [
        ("audit", manager, f"/manage/audits/{seeded.submitted_audit_id}"),
        ("form", auditor, f"/audits/{seeded.draft_audit_id}/sections/{seeded.form_section}"),
        ("sign_in", anonymous, "/sign-in"),
    ]
    with app.app_context():
        engine = db.engine
    for page_name, client, url in pages:
        _timed_get(client, url)
        times = [_timed_get(client, url)[0] for _ in range(PAGE_RUNS)]
        statements: list[str] = []

        def count(*args, statements=statements) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            _timed_get(client, url)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"BENCH pages page={page_name} db={name} median_ms={statistics.median(times):.1f} "
            f"p95_ms={p95:.1f} queries={len(statements)}",
            flush=True,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn_run(url: str, seeded: Seeded) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "qa_app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_for(port)
        cookie = _http_sign_in(port, seeded.auditor_email)
        form = f"/audits/{seeded.draft_audit_id}/sections/{seeded.form_section}"
        # Both workers compile their templates and fill their caches before anything is timed,
        # so the first page measured does not pay every worker's start-up alone.
        _load(port, form, cookie, 4, WARM_SECONDS)
        _load(port, "/sign-in", "", 4, WARM_SECONDS)
        for connections in CONNECTIONS:
            form_rps = _load(port, form, cookie, connections)
            signin_rps = _load(port, "/sign-in", "", connections)
            print(
                f"BENCH pages conc={connections} form_rps={form_rps:.1f} "
                f"signin_rps={signin_rps:.1f} form_over_signin={form_rps / signin_rps:.2f}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _http_sign_in(port: int, email: str) -> str:
    """Sign in over HTTP; return the Cookie header for the signed-in session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/sign-in")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = _session_cookie(response) or ""
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    body = f"email={email}&password={PASSWORD.replace(' ', '+')}"
    if token:
        body += f"&csrf_token={token.group(1)}"
    connection.request(
        "POST",
        "/sign-in",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    return _session_cookie(response) or cookie


def _session_cookie(response: http.client.HTTPResponse) -> str | None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return None


def _load(
    port: int, path: str, cookie: str, connections: int, seconds: float = LOAD_SECONDS
) -> float:
    """Return completed requests per second for ``path`` over ``connections`` keep-alive
    connections, each asking again as soon as it has its answer."""
    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < stop:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            done[slot] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


if __name__ == "__main__":
    main()
