"""A case and its audits, as a manager, QA lead or administrator may see them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, load_only

from qa_app.models import Audit, Case, TemplateVersion, User


def get_visible_case(session: Session, user: User, case_id: int) -> Case | None:
    """Return the case when it exists and it is held by a team the user sees."""
    query = select(Case).options(joinedload(Case.team)).where(Case.id == case_id)
    if not user.sees_all_teams:
        query = query.where(Case.team_id == user.team_id)
    return session.scalar(query)


def case_audits(session: Session, case: Case) -> list[Audit]:
    """Return every audit of the case, newest first, without template definitions."""
    query = (
        select(Audit)
        .where(Audit.case_id == case.id)
        .options(
            joinedload(Audit.auditor),
            joinedload(Audit.template_version).load_only(
                TemplateVersion.title, TemplateVersion.version
            ),
            load_only(
                Audit.id,
                Audit.status,
                Audit.submitted_at,
                Audit.overall_judgement,
                Audit.moderated_overall_judgement,
                Audit.score,
                Audit.moderated_score,
                Audit.created_at,
                Audit.auditor_id,
                Audit.template_version_id,
                Audit.case_id,
                Audit.lock_version,
            ),
        )
        .order_by(Audit.created_at.desc(), Audit.id.desc())
    )
    return list(session.scalars(query).unique())
