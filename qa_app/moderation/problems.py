"""What stops a moderation step, shared by the moderation operations."""

from __future__ import annotations


class ModerationProblem(ValueError):
    """The moderation step cannot be done now; the message says why, for the user."""


class ModerationConflict(Exception):
    """Someone saved this moderation after this copy of it was opened."""
