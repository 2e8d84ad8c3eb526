"""The demo seed: a year of synthetic audits that tell a story on the dashboard."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from qa_app.base_model import utcnow
from qa_app.demo.seed import DEMO_LOGINS, DEMO_TEAMS, seed_demo_data
from qa_app.extensions import db
from qa_app.follow_up.working_days import date_in_england
from qa_app.insight import queries
from qa_app.insight.filters import InsightFilter, add_months
from qa_app.models import (
    REPORTED_STATUSES,
    Answer,
    Audit,
    ModerationSelection,
    Role,
    Team,
    User,
)
from tests.insight.test_rollup import assert_rollup_equals_rebuild


def test_the_demo_seeds_a_year_that_tells_a_story(app, templates_loaded):
    with app.app_context():
        session = db.session
        assert seed_demo_data(session)
        session.commit()
        assert not seed_demo_data(session)  # seeding twice changes nothing

        roles = {Role(login.role) for login in DEMO_LOGINS}
        assert {Role.QA_LEAD, Role.LEADER} <= roles
        assert session.scalar(select(func.count(User.id))) == len(DEMO_LOGINS)

        this_month = date_in_england(utcnow()).replace(day=1)
        year = InsightFilter(start=add_months(this_month, -12), end=add_months(this_month, -1))
        trend = queries.monthly_trend(session, year)
        assert all(month.audits >= 20 for month in trend)  # every month of the year has audits

        teams = {
            name: session.scalar(select(Team.id).where(Team.name == name)) for name in DEMO_TEAMS
        }
        improving = teams["Child Protection East (synthetic)"]
        first = replace(year, end=add_months(year.start, 2), team_id=improving)
        last = replace(year, start=add_months(year.end, -2), team_id=improving)
        before = queries.grade_profile(session, first).current.good.percent
        after = queries.grade_profile(session, last).current.good.percent
        assert after - before >= 25

        worse = {t.finding: t for t in queries.findings_tracker(session, year)}
        months = [share for _, share in worse["strategy-timescales"].months]
        early = sum(s.count for s in months[:4]) / sum(s.total for s in months[:4])
        late = sum(s.count for s in months[-4:]) / sum(s.total for s in months[-4:])
        assert early - late >= 0.25

        # Grades and scores agree: nothing good or better on a low score.
        mismatched = session.scalar(
            select(func.count(Audit.id)).where(
                Audit.status.in_(REPORTED_STATUSES),
                Audit.overall_judgement.in_(["good", "outstanding"]),
                Audit.score < 0.45,
            )
        )
        assert mismatched == 0

        reported = session.scalar(
            select(func.count(Audit.id)).where(Audit.status.in_(REPORTED_STATUSES))
        )
        moderated = session.scalar(
            select(func.count(Audit.id)).where(Audit.moderated_at.is_not(None))
        )
        assert 0.12 <= moderated / reported <= 0.4
        assert session.scalar(select(func.count(ModerationSelection.id))) > moderated
        graded = select(Answer).where(
            Answer.moderated_value.is_not(None), Answer.score.is_not(None)
        )
        total = session.scalar(select(func.count()).select_from(graded.subquery()))
        changed = session.scalar(
            select(func.count()).select_from(
                graded.where(Answer.moderated_value != Answer.value).subquery()
            )
        )
        assert 0.03 <= changed / total <= 0.25  # most grades agreed

        statuses = set(session.scalars(select(Audit.status)))
        assert {"assigned", "draft", "submitted", "returned", "resubmitted"} <= statuses
        assert {"in_moderation", "moderated", "closed"} <= statuses
        assert_rollup_equals_rebuild(session)
