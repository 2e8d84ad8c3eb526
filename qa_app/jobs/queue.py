"""The job runner: huey, with its SQLite storage in ``instance/`` unless ``REDIS_URL`` is set.

huey is a small, maintained task queue whose SQLite storage needs no server, so one machine runs
the web server and a worker from the same folder. Several app servers on one PostgreSQL share a
Redis instead (``REDIS_URL``), so any worker can take any job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from huey import Huey, MemoryHuey, SqliteHuey

QUEUE_NAME = "qa_app"


def make_huey(config: Mapping[str, object], instance_path: str) -> Huey:
    """Return the queue the settings ask for.

    ``JOBS_IMMEDIATE`` runs each job at once in the caller (unit tests only); ``REDIS_URL`` uses
    a shared Redis; otherwise ``JOBS_SQLITE_PATH`` (``instance/jobs.sqlite3`` by default).
    """
    if config.get("JOBS_IMMEDIATE"):
        return MemoryHuey(QUEUE_NAME, immediate=True)
    redis_url = config.get("REDIS_URL")
    if redis_url:
        from huey import RedisHuey  # needs the redis package: pip install '.[redis]'

        return RedisHuey(QUEUE_NAME, url=str(redis_url))
    path = str(config.get("JOBS_SQLITE_PATH") or os.path.join(instance_path, "jobs.sqlite3"))
    return SqliteHuey(QUEUE_NAME, filename=path)
