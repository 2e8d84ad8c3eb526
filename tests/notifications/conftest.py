"""Submitted audits for the notification tests: the moderation tests' fixture, made through the
same operations as the pages; and the app with a real job queue, for emails sent again."""

from tests.jobs.conftest import queued_app
from tests.moderation.conftest import submit_audit

__all__ = ["queued_app", "submit_audit"]
