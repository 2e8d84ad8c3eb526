"""The migration that adds the audit months fills them from the facts already built, so a council
upgrading keeps its dashboard figures without a rebuild (on a database of its own, since it goes
down and up again)."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import InsightAuditFact, InsightAuditMonth
from tests.conftest import _test_config
from tests.insight.conftest import build_world


def _rows(model) -> list[tuple]:
    columns = [c for c in model.__table__.columns if c.name != "id"]
    return sorted(
        (
            tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in db.session.execute(select(*columns))
        ),
        key=repr,
    )


def test_upgrading_fills_due_months_and_audit_months_from_existing_facts(
    own_database_url, tmp_path
):
    app = create_app(_test_config(own_database_url, tmp_path))
    with app.app_context():
        upgrade()
        build_world(db.session, tmp_path)
        facts, months = _rows(InsightAuditFact), _rows(InsightAuditMonth)
        due = select(func.count()).where(InsightAuditFact.due_month.is_not(None))
        assert (len(months), db.session.scalar(due)) == (5, 4)
        migrations = app.extensions["migrate"].migrate.get_config()
        ours = next(
            script
            for script in ScriptDirectory.from_config(migrations).walk_revisions()
            if "insight_aggregates" in script.path
        )
        db.session.remove()
        downgrade(revision=ours.down_revision)
        upgrade()
        assert _rows(InsightAuditFact) == facts
        assert _rows(InsightAuditMonth) == months
        db.session.remove()
        db.engine.dispose()
