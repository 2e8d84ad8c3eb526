"""Submitted audits for the notification tests: the moderation tests' fixture, made through the
same operations as the pages."""

from tests.moderation.conftest import submit_audit

__all__ = ["submit_audit"]
