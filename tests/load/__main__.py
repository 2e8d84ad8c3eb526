"""The load and fault test (``make loadtest``): gunicorn with 4 workers on 127.0.0.1, 50
simulated auditors autosaving drafts for 60 seconds (locust, headless), one worker killed with
SIGKILL halfway, then the database checked against every save the server acknowledged.

Runs on SQLite and, where ``initdb`` and ``pg_ctl`` are installed, on a throwaway PostgreSQL
cluster. Prints ``BENCH load`` lines and exits 1 if any acknowledged save is missing, any audit
holds half a save, or any request got a 5xx answer.

``python -m tests.load [--users 50] [--seconds 60] [--databases sqlite,postgresql]``
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests
from sqlalchemy import create_engine, text

from tests.postgres import PostgresUnavailable, throwaway_cluster

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    failed = False
    for database in args.databases.split(","):
        with _database(database) as url:
            if url is None:
                print(f"BENCH load database={database} skipped=no_binaries", flush=True)
                continue
            failed |= not run(database, url, args.users, args.seconds)
    return 1 if failed else 0


@contextlib.contextmanager
def _database(name: str) -> Iterator[str | None]:
    if name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="qa-load-") as folder:
            yield f"sqlite:///{folder}/load.sqlite3"
        return
    try:
        with throwaway_cluster() as url:
            yield url
    except (PostgresUnavailable, FileNotFoundError):
        yield None


def run(database: str, url: str, users: int, seconds: int) -> bool:
    """Run the test on one database; print its figures; return True when nothing was lost."""
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test-secret-key-synthetic",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("QA_APP_ENV", None)  # plain http on 127.0.0.1: no Secure cookies
    work = Path(tempfile.mkdtemp(prefix="qa-load-run-"))
    accounts, journal = work / "accounts.json", work / "journal.jsonl"
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.load.seed", str(users)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    accounts.write_text(seeded.stdout.strip().splitlines()[-1])
    setup = json.loads(accounts.read_text())
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--timeout", "30", "--log-level", "warning", "qa_app:create_app()"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    killed = 0
    try:
        _wait_for(port)
        # Signing in (a deliberately slow password hash) is done before the timed window.
        _sign_in_everyone(port, setup)
        accounts.write_text(json.dumps(setup))
        load = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile.py"),
             "--headless", "--users", str(users), "--spawn-rate", str(users),
             "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(work / "stats"), "--only-summary", "--loglevel", "WARNING",
             "--logfile", str(work / "locust.log")],
            env=env | {"LOAD_ACCOUNTS": str(accounts), "LOAD_JOURNAL": str(journal)},
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(seconds / 2)
        workers = psutil.Process(server.pid).children()
        if workers:
            os.kill(workers[0].pid, signal.SIGKILL)  # mid-save, as a crash or OOM kill would
            killed = 1
        _, errors = load.communicate(timeout=seconds * 3 + 60)
        if load.returncode not in (0, 1):  # 1 only means some requests failed
            print(errors.strip()[-3000:], file=sys.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(f"load test files: {work}", file=sys.stderr)
    return _report(database, url, setup, journal, work / "stats_stats.csv", seconds, killed)


def _sign_in_everyone(port: int, setup: dict) -> None:
    """Sign every simulated auditor in, keeping each one's cookies in ``setup``."""

    def sign_in(account: dict) -> None:
        with requests.Session() as browser:
            page = browser.get(f"http://127.0.0.1:{port}/sign-in", timeout=120)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
            browser.post(
                f"http://127.0.0.1:{port}/sign-in",
                data={
                    "email": account["email"],
                    "password": setup["password"],
                    "csrf_token": token,
                },
                timeout=120,
            ).raise_for_status()
            account["cookies"] = browser.cookies.get_dict()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(sign_in, setup["auditors"]))


def _report(database, url, setup, journal: Path, stats: Path, seconds, killed) -> bool:
    sent: dict[int, int] = {}
    acked: dict[int, int] = {}
    server_errors = saves = 0
    for line in journal.read_text().splitlines():
        entry = json.loads(line)
        audit = entry["audit"]
        if entry["event"] == "sent":
            sent[audit] = max(sent.get(audit, 0), entry["number"])
        elif entry["event"] == "ack":
            acked[audit] = max(acked.get(audit, 0), entry["number"])
            saves += 1
        elif entry["event"] == "5xx":
            server_errors += 1
    stored = _stored_numbers(url, setup)
    lost = partial = 0
    for audit, numbers in stored.items():
        if len(set(numbers)) > 1:
            partial += 1  # the two boxes of one save disagree: half a save was stored
        latest = max(numbers) if numbers else 0
        if latest < acked.get(audit, 0) or latest > sent.get(audit, 0):
            lost += 1
    row = _autosave_stats(stats)
    print(
        f"BENCH load database={database} users={len(setup['auditors'])} seconds={seconds} "
        f"saves={saves} saves_per_s={saves / seconds:.1f} p50_ms={row['p50']} "
        f"p95_ms={row['p95']} errors={row['failures']} server_errors={server_errors} "
        f"workers_killed={killed} audits={len(acked)} partial={partial} lost={lost}",
        flush=True,
    )
    # A run in which nothing was saved proves nothing, so it fails too.
    return saves > 0 and lost == 0 and partial == 0 and server_errors == 0


def _stored_numbers(url: str, setup: dict) -> dict[int, list[int]]:
    """Return, for each audit, the save number held in each of the two rationale boxes."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    found: dict[int, list[int]] = {a["audit_id"]: [] for a in setup["auditors"]}
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT audit_id, criterion_key, rationale FROM answers")
        ).all()
    engine.dispose()
    for audit_id, key, rationale in rows:
        if audit_id in found and key in setup["criteria"] and rationale:
            found[audit_id].append(int(rationale.split()[1]))
    return found


def _autosave_stats(path: Path) -> dict[str, int]:
    with path.open() as stream:
        for row in csv.DictReader(stream):
            if row["Name"] == "autosave":
                return {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": int(float(row["50%"])),
                    "p95": int(float(row["95%"])),
                }
    return {"requests": 0, "failures": 0, "p50": 0, "p95": 0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, timeout: float = 180) -> None:
    """Return once every worker has booted and answers (each answers in well under a second)."""
    deadline = time.monotonic() + timeout
    quick = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=60).close()
            quick = quick + 1 if time.monotonic() - started < 1 else 0
            if quick >= 8:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start on port {port}")


if __name__ == "__main__":
    sys.exit(main())
