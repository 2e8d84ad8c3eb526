"""The pack shows the dashboard's figures for the same audits: the same headline and months."""

from __future__ import annotations

import calendar
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa_app.demo.seed import seed_demo_data
from qa_app.display import ENGLAND, as_utc
from qa_app.extensions import db
from qa_app.insight.filters import InsightFilter
from qa_app.insight.queries import grade_profile, monthly_trend
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import REPORTED_STATUSES, Audit, Role
from tests.reports.test_leadership_pack import _rows, _table


@pytest.fixture
def seeded(app, templates_loaded):
    app.config["PACK_JOB_ANSWERS"] = 10**9  # made in the request here
    with app.app_context():
        seed_demo_data(db.session)
        rebuild_rollup(db.session)  # the dashboard's rollup, as `flask insight rebuild` makes it
        db.session.commit()


def test_the_pack_headline_and_months_equal_the_dashboards(app, client, seeded, make_user, sign_in):
    with app.app_context():
        first, last = db.session.execute(
            select(func.min(Audit.submitted_at), func.max(Audit.submitted_at)).where(
                Audit.status.in_(REPORTED_STATUSES)
            )
        ).one()
        first, last = (as_utc(m).astimezone(ENGLAND).date().replace(day=1) for m in (first, last))
        dashboard_filter = InsightFilter(start=first, end=last, period="custom")
        dashboard = grade_profile(db.session, dashboard_filter).current
        months = monthly_trend(db.session, dashboard_filter)
    end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    sign_in(make_user(Role.ADMIN, team=None))
    response = client.post(
        "/reports/pack",
        data={
            "tier": "de_identified",
            "period_start": [str(first.day), str(first.month), str(first.year)],
            "period_end": [str(end.day), str(end.month), str(end.year)],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    summary = _rows(load_workbook(BytesIO(response.data))["Summary"])
    headline = {row[0]: row[1] for row in _table(summary, "Measure")}
    assert dashboard.audits > 0
    assert headline["Audits"] == dashboard.audits
    assert headline["Good or better"] == pytest.approx(dashboard.good.count / dashboard.audits)
    assert headline["Inadequate"] == pytest.approx(dashboard.inadequate.count / dashboard.audits)
    assert headline["Mean score"] == pytest.approx(dashboard.mean_score)
    by_month = {row[0]: (row[1], row[2]) for row in _table(summary, "Month")}
    for month in months:
        if month.audits:
            label = month.month.strftime("%B %Y")
            assert by_month[label] == (month.audits, month.good.count), label
