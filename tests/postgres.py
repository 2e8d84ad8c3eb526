"""A throwaway PostgreSQL cluster for the test session, started with initdb and pg_ctl."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REQUIRE_VARIABLE = "QA_REQUIRE_POSTGRES"


class PostgresUnavailable(RuntimeError):
    """The binaries or the user needed to start a cluster are missing."""


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for directory in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (directory / name).exists():
            return str(directory / name)
    raise PostgresUnavailable(f"{name} not found on PATH or in /usr/lib/postgresql/*/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_owner(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root, so root runs it as the postgres user.
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError as error:
        raise PostgresUnavailable("running as root and there is no postgres user") from error
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster on 127.0.0.1 and yield a SQLAlchemy URL to its database; stop it after."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    workdir = Path(tempfile.mkdtemp(prefix="qa-app-pg-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    data, log = workdir / "data", workdir / "server.log"
    subprocess.run(
        _as_cluster_owner(
            [initdb, "-D", str(data), "-U", "qa", "--auth=trust", "-E", "UTF8", "--no-locale"]
        ),
        check=True,
        capture_output=True,
    )
    port = _start(pg_ctl, data, log, workdir)
    try:
        _wait_for(port)
        yield f"postgresql+psycopg://qa@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_cluster_owner([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _start(pg_ctl: str, data: Path, log: Path, workdir: Path, attempts: int = 3) -> int:
    """Start the server on a free port and return the port.

    Test processes running side by side (pytest -n) each start a cluster: another may take the
    port between choosing it and the server binding it, so a refused start tries a new port.
    """
    for attempt in range(attempts):
        port = _free_port()
        options = f"-h 127.0.0.1 -p {port} -k {workdir} -F -c fsync=off -c full_page_writes=off"
        command = [pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
        last = attempt == attempts - 1
        if subprocess.run(_as_cluster_owner(command), check=last, capture_output=True).returncode:
            continue
        return port
    raise PostgresUnavailable(f"PostgreSQL did not start (see {log})")


def _wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise PostgresUnavailable(f"PostgreSQL did not start on port {port}")
