"""The agreement figures read the pair rollup (whole months) and the answers (part months, one
team's slices), and give exactly the figures counted directly from every audit and answer, for
any mix of the page's filters."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from qa_app.audit_changes import audit_changed
from qa_app.audits import operations
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.insight.agreement_pairs import rebuild_agreement_pairs
from qa_app.models import (
    AgreementPairMonth,
    Answer,
    Audit,
    AuditRound,
    Role,
    Team,
    TemplateVersion,
    User,
)
from qa_app.moderation.agreement_report import AgreementFilters, _build, agreement_report
from qa_app.template_format.definition import NOT_APPLICABLE

TEMPLATES = ("front-door", "lado")
DONE = ("moderated", "closed")
FIRST_DAY = date(2026, 1, 1)
DAYS = 150  # moderations from January to May 2026


def _graded_items(definition):
    for section in definition.sections:
        for criterion in section.criteria:
            if criterion.type == "scale" and criterion.scale:
                yield criterion.key, section.key, definition.scale(criterion.scale)
        if section.judgement is not None:
            yield f"{section.key}.judgement", section.key, definition.scale(section.judgement.scale)


@pytest.fixture
def moderated_world(app, make_user, templates_loaded):
    """Random moderated audits by three auditors in two teams, on two templates and two rounds,
    moderated over five months at all hours; the rollup kept by the audit-changed hook."""
    rng = random.Random(20261207)
    auditors = [make_user(Role.AUDITOR, team=team) for team in ("Team A", "Team B", "Team A")]
    with app.app_context():
        session = db.session
        names = ("Team A", "Team B")
        teams = [session.scalar(select(Team.id).where(Team.name == n)) for n in names]
        versions = [
            session.scalar(select(TemplateVersion).where(TemplateVersion.key == key))
            for key in TEMPLATES
        ]
        rounds = []
        for n, version in enumerate(versions):
            audit_round = AuditRound(
                name=f"Round {n} (synthetic)",
                template_version_id=version.id,
                period_start=FIRST_DAY,
                period_end=date(2026, 5, 31),
                due_date=date(2026, 6, 30),
                rule={},
                seed=n,
                status="confirmed",
            )
            session.add(audit_round)
            session.flush()
            rounds.append(audit_round.id)
        for n in range(40):
            version = rng.choice(versions)
            definition = version.definition
            team = session.get(Team, rng.choice(teams))
            case = operations.find_or_create_case(session, f"SYN-7{n:05d}", team)
            session.flush()
            status = rng.choice(("moderated", "moderated", "closed", "submitted"))
            moderated = status in DONE
            overall = [o.value for o in definition.scale(definition.overall.scale).options]
            moment = datetime.combine(
                FIRST_DAY + timedelta(days=rng.randrange(DAYS)), time(), UTC
            ) + timedelta(minutes=rng.choice((0, 1, 719, 1439)))
            audit = Audit(
                template_version_id=version.id,
                case_id=case.id,
                auditor_id=rng.choice(auditors).id,
                status=status,
                submitted_at=moment - timedelta(days=3),
                overall_judgement=rng.choice(overall),
                round_id=rng.choice((None, *rounds)),
                moderated_at=moment if moderated and n != 7 else None,
                moderated_overall_judgement=rng.choice(overall) if moderated and n != 11 else None,
            )
            session.add(audit)
            session.flush()
            for key, section_key, scale in _graded_items(definition):
                values = [o.value for o in scale.options]
                value = NOT_APPLICABLE if rng.random() < 0.1 else rng.choice(values)
                session.add(
                    Answer(
                        audit_id=audit.id,
                        criterion_key=key,
                        lineage_key=key,
                        section_key=section_key,
                        value=value,
                        moderated_value=rng.choice(values)
                        if moderated and rng.random() < 0.9
                        else None,
                    )
                )
            audit_changed(session, audit.id, status)
        session.commit()
        assert session.scalar(select(func.count(AgreementPairMonth.id))) > 0
    return {"auditors": [a.id for a in auditors], "teams": teams, "rounds": rounds}


def _direct_report(session, filters: AgreementFilters, only_team: int | None):
    """Count the pairs from every audit and answer in Python, then build the report."""
    start = None if filters.since is None else datetime.combine(filters.since, time(), UTC)
    end = (
        None
        if filters.until is None
        else datetime.combine(filters.until + timedelta(days=1), time(), UTC)
    )
    overall: Counter = Counter()
    criteria: Counter = Counter()
    for audit in session.scalars(select(Audit)):
        moment = None if audit.moderated_at is None else as_utc(audit.moderated_at)
        if (
            audit.status not in DONE
            or audit.moderated_overall_judgement is None
            or (start and (moment is None or moment < start))
            or (end and (moment is None or moment >= end))
            or (filters.round_id and audit.round_id != filters.round_id)
            or (filters.team_id and audit.case.team_id != filters.team_id)
            or (only_team is not None and audit.case.team_id != only_team)
            or (filters.auditor_id and audit.auditor_id != filters.auditor_id)
            or (filters.template_key and audit.template_version.key != filters.template_key)
        ):
            continue
        overall[
            (
                audit.auditor_id,
                audit.template_version_id,
                audit.overall_judgement,
                audit.moderated_overall_judgement,
            )
        ] += 1
        for answer in audit.answers:
            if answer.moderated_value is None or answer.value in (None, NOT_APPLICABLE):
                continue
            criteria[
                (
                    audit.auditor_id,
                    audit.template_version_id,
                    answer.criterion_key,
                    answer.value,
                    answer.moderated_value,
                )
            ] += 1
    versions = {v.id: v for v in session.scalars(select(TemplateVersion))}
    names = dict(session.execute(select(User.id, User.display_name)).all())
    return _build(
        [(*key, n) for key, n in overall.items()],
        [(*key, n) for key, n in criteria.items()],
        versions,
        names,
    )


def _rounded(value):
    return None if value is None else round(value, 9)


def _figures(figures):
    if figures is None:
        return None
    return (
        figures.pairs,
        _rounded(figures.exact_percent),
        _rounded(figures.within_one_percent),
        _rounded(figures.linear.kappa),
        _rounded(figures.quadratic.kappa),
        _rounded(figures.mean_signed_difference),
    )


def _canonical(report):
    return {
        "audits": report.audits,
        "overall": sorted((t.scale, t.labels, t.table.counts) for t in report.overall),
        "criteria": sorted((t.scale, t.labels, t.table.counts) for t in report.criteria),
        "criteria_all": _figures(report.criteria_all),
        "auditors": sorted(
            (a.auditor_id, a.audits, _figures(a.overall), _figures(a.criteria), a.flag)
            for a in report.auditors
        ),
        "lowest": sorted((c.template, c.key, _figures(c.figures)) for c in report.lowest),
    }


days = st.one_of(st.dates(min_value=date(2025, 12, 25), max_value=date(2026, 6, 5)), st.none())


def _often_none(values):
    """None (no filter) half the time: one team's slices skip the rollup altogether."""
    return st.one_of(st.none(), st.sampled_from(values))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_agreement_figures_equal_a_direct_count_for_any_filters(app, moderated_world, data):
    world = moderated_world
    filters = AgreementFilters(
        since=data.draw(days, "since"),
        until=data.draw(days, "until"),
        round_id=data.draw(st.sampled_from([None, *world["rounds"]]), "round"),
        team_id=data.draw(_often_none(world["teams"]), "team"),
        template_key=data.draw(st.sampled_from([None, *TEMPLATES, "no-such"]), "template"),
        auditor_id=data.draw(st.sampled_from([None, *world["auditors"]]), "auditor"),
    )
    only_team = data.draw(_often_none(world["teams"]), "only_team")
    with app.app_context():
        expected = _canonical(_direct_report(db.session, filters, only_team))
        assert _canonical(agreement_report(db.session, filters, only_team)) == expected


def test_whole_months_are_read_from_the_rollup_and_a_rebuild_restores_it(app, moderated_world):
    with app.app_context():
        whole = AgreementFilters(since=date(2026, 2, 1), until=date(2026, 3, 31))
        before = _canonical(agreement_report(db.session, whole))
        assert before["criteria_all"][0] > 0
        db.session.execute(delete(AgreementPairMonth))
        emptied = agreement_report(db.session, whole)
        assert emptied.criteria_all.pairs == 0  # nothing left to read: the rollup is the source
        assert emptied.audits == before["audits"]  # overall judgements come from the audits
        rebuild_agreement_pairs(db.session)
        assert _canonical(agreement_report(db.session, whole)) == before
        db.session.rollback()
