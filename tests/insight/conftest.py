"""A small synthetic dashboard world: two teams, two template versions, audits in two periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from qa_app.extensions import db
from qa_app.insight.filters import InsightFilter
from qa_app.insight.rollup import refresh_audits
from qa_app.models import AuditStatus, Role, User
from qa_app.people.operations import create_user, find_or_create_team
from tests.conftest import TEST_PASSWORD
from tests.insight.builders import VERSION_1, VERSION_2, AuditSpec, load_test_templates, make_audit

# The dashboard period the hand computations use: June to November 2026.
PERIOD = InsightFilter(start=date(2026, 6, 1), end=date(2026, 11, 1), period="custom")


@dataclass(frozen=True)
class World:
    team_a: int
    team_b: int
    audit_ids: list[int]
    auditor_id: int


def build_world(session, tmp_path) -> World:
    load_test_templates(session, tmp_path, VERSION_1, VERSION_2)
    a = find_or_create_team(session, "Team A (synthetic)")
    b = find_or_create_team(session, "Team B (synthetic)")
    auditor = create_user(
        session, "insight-auditor@example.org", "Insight auditor", Role.AUDITOR, TEST_PASSWORD, None
    )
    session.flush()
    specs = [
        # 1: Team A, November, everything good.
        AuditSpec(
            a,
            (2026, 11),
            {
                "risk": "good",
                "strategy_held": "yes",
                "strategy_timed": "yes",
                "seen_alone": "yes",
                "safety.judgement": "good",
            },
            "good",
            due=date(2026, 11, 20),
        ),
        # 2: Team A, November: no strategy meeting, so the timescales answer left stored from
        # an earlier edit was not asked; seen alone is N/A.
        AuditSpec(
            a,
            (2026, 11),
            {
                "risk": "requires_improvement",
                "strategy_held": "no",
                "strategy_timed": "yes",
                "seen_alone": "na",
                "safety.judgement": "requires_improvement",
            },
            "requires_improvement",
        ),
        # 3: Team B, October, version 2 (the timescales question reworded under a new key).
        AuditSpec(
            b,
            (2026, 10),
            {
                "risk": "inadequate",
                "strategy_held": "yes",
                "actions_timed": "partly",
                "seen_alone": "no",
                "safety.judgement": "inadequate",
            },
            "inadequate",
            version=2,
            due=date(2026, 10, 31),
        ),
        # 4: Team B, November, version 2, moderated: risk and overall graded down.
        AuditSpec(
            b,
            (2026, 11),
            {
                "risk": "outstanding",
                "strategy_held": "yes",
                "actions_timed": "yes",
                "seen_alone": "yes",
                "safety.judgement": "outstanding",
            },
            "outstanding",
            version=2,
            moderated={"risk": "good"},
            moderated_overall="requires_improvement",
            due=date(2026, 11, 10),
        ),
        # 5: Team A, April: the previous period.
        AuditSpec(
            a,
            (2026, 4),
            {"risk": "good", "strategy_held": "no", "seen_alone": "yes"},
            "good",
            due=date(2026, 4, 30),
        ),
        # 6: a draft in November: not reported.
        AuditSpec(
            a,
            (2026, 11),
            {
                "risk": "inadequate",
                "strategy_held": "no",
                "seen_alone": "no",
                "safety.judgement": "inadequate",
            },
            "inadequate",
            status=AuditStatus.DRAFT.value,
            due=date(2026, 11, 5),
        ),
    ]
    audits = [make_audit(session, auditor, spec, n) for n, spec in enumerate(specs)]
    refresh_audits(session, [a.id for a in audits])
    session.commit()
    return World(a.id, b.id, [a.id for a in audits], auditor.id)


@pytest.fixture
def world(app: Flask, tmp_path) -> World:
    with app.app_context():
        return build_world(db.session, tmp_path)


@pytest.fixture
def session(app: Flask):
    with app.app_context():
        yield db.session


def first_user(session) -> User:
    return session.query(User).first()
