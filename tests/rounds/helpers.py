"""What a browser posts to the round forms, and reading rounds back."""

from __future__ import annotations

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import AuditRound, Team

TEAM_A = "Team A (synthetic)"
TEAM_B = "Team B (synthetic)"


def round_form(app, version_id: int, **changes) -> dict:
    """Return a complete, valid create-round post (every team ticked), with ``changes`` applied."""
    with app.app_context():
        team_ids = [str(t) for t in db.session.scalars(select(Team.id).order_by(Team.id))]
    data = {
        "name": "May 2026 case audits (synthetic)",
        "template_version_id": str(version_id),
        "period_start": ["1", "5", "2026"],
        "period_end": ["31", "5", "2026"],
        "due_date": ["15", "6", "2026"],
        "mode": "per_team",
        "cases_per_team": "2",
        "percent": "",
        "exclude_months": "12",
        "exclude_closed": "y",
        "teams": team_ids,
        "seed": "1234",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_round_through_the_form(client, app, version_id: int, **changes) -> int:
    """Create a round as the signed-in admin; return its id."""
    response = client.post("/admin/rounds/new", data=round_form(app, version_id, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").split("/")[-1])


def get_round(app, round_id: int) -> dict:
    """Return the stored round's status, seed and rule."""
    with app.app_context():
        audit_round = db.session.get(AuditRound, round_id)
        return {"status": audit_round.status, "seed": audit_round.seed, "rule": audit_round.rule}


def team_id(app, name: str) -> int:
    """Return the id of the team with this name."""
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.name == name))
