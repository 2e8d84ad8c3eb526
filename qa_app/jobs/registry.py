"""The kinds of job there are: each area registers the function that does its long work.

Two sorts: a *job* (:func:`register_job_kind`) is something a person asked for, stored with its
progress and result; a *task* (:func:`register_task`) is quiet work the service does in the
background, such as sending again an email the mail server refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from qa_app.models import Job

# Reports progress: (done, total or None, message). Cheap to call often; it writes now and then.
Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class JobResult:
    """What a job made: a file in the exports folder (its path and download name), and counts."""

    path: str | None = None
    download_name: str | None = None
    outcome: dict[str, Any] = field(default_factory=dict)


class JobFailed(Exception):
    """Raised by a job with a message the user can act on ("The file has a formula in C5"),
    and what to show beside it (a case import's row report)."""

    def __init__(self, message: str, outcome: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome


# (session, job, progress) -> result. The session is the worker's; the runner commits it.
JobFunction = Callable[[Session, Job, Progress], JobResult]

_kinds: dict[str, JobFunction] = {}


def register_job_kind(kind: str, function: JobFunction) -> None:
    """Register (or replace, as app factories may run many times) the function for a kind."""
    _kinds[kind] = function


def job_function(kind: str) -> JobFunction:
    """Return the function registered for the kind (KeyError when none is)."""
    return _kinds[kind]


# (arguments...) -> None, run in the worker inside an app context; an exception is logged.
TaskFunction = Callable[..., None]

_tasks: dict[str, TaskFunction] = {}


def register_task(name: str, function: TaskFunction) -> None:
    """Register (or replace) the function a background task of this name runs."""
    _tasks[name] = function


def task_function(name: str) -> TaskFunction:
    """Return the function registered for the task name (KeyError when none is)."""
    return _tasks[name]
