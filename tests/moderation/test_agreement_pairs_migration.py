"""The migration that adds the agreement pair rollup fills it from the audits already
moderated, so a council upgrading keeps its agreement figures without a rebuild (on a database
of its own, since it goes down and up again)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from qa_app import create_app
from qa_app.audit_changes import audit_changed
from qa_app.extensions import db
from qa_app.insight.agreement_pairs import rebuild_agreement_pairs
from qa_app.models import AgreementPairMonth, Audit, AuditStatus, InsightAuditFact
from tests.conftest import _test_config
from tests.insight.conftest import build_world


def _rows(model) -> list[tuple]:
    columns = [c for c in model.__table__.columns if c.name != "id"]
    return sorted((tuple(r) for r in db.session.execute(select(*columns))), key=repr)


def _pairs() -> list[tuple]:
    return _rows(AgreementPairMonth)


def test_upgrading_fills_the_agreement_pairs_from_the_moderated_audits(own_database_url, tmp_path):
    app = create_app(_test_config(own_database_url, tmp_path))
    with app.app_context():
        upgrade()
        build_world(db.session, tmp_path)
        moderated = db.session.scalar(  # the audit its moderator graded down
            select(Audit).where(Audit.moderated_overall_judgement.is_not(None))
        )
        moderated.status = AuditStatus.MODERATED.value
        audit_changed(db.session, moderated.id, "moderated")
        db.session.commit()
        kept, facts = _pairs(), _rows(InsightAuditFact)
        assert kept and sum(row[-1] for row in kept) > 0
        month = select(InsightAuditFact.moderated_month).where(
            InsightAuditFact.audit_id == moderated.id
        )
        assert db.session.scalar(month) is not None
        db.session.remove()
        downgrade(revision="0014")
        upgrade()
        assert _pairs() == kept
        assert _rows(InsightAuditFact) == facts
        rebuild_agreement_pairs(db.session)
        assert _pairs() == kept
        db.session.remove()
        db.engine.dispose()
