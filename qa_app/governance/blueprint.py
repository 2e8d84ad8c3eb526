"""The governance blueprint; its views live in the ``*_views`` modules beside this one."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("governance", __name__, template_folder="templates")


def load_views() -> Blueprint:
    """Import every view module (registering its routes) and return the blueprint."""
    from qa_app.governance import (  # noqa: F401
        access_views,
        event_views,
        people_views,
        retention_views,
        team_views,
    )

    return bp
