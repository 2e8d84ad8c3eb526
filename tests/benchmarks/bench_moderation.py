"""The Moderation page at scale: 20,000 moderated synthetic audits by 60 auditors in 40 teams,
every graded question of the front door template answered and moderated (about 70% agreed,
most of the rest one grade apart, a few two), plus 2,000 audits waiting in the queue.

Times (best of three) for: the agreement report's SQL aggregation and statistics (all dates,
and dates cutting two months part way), recounting one auditor's agreement pairs of one month
(what the audit-changed hook adds to a moderation), the whole Moderation page as a QA lead (all
teams) and as a team manager, and the first page of the moderation queue. A fresh database per
engine (SQLite, and PostgreSQL when its binaries are installed; ``BENCH_DATABASES`` picks),
schema by the real migrations, rows written with Core bulk inserts. Prints ``BENCH moderation
db=<db> ...`` lines.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from qa_app.audits.responses import OVERALL
from qa_app.extensions import db
from qa_app.insight.agreement_pairs import refresh_agreement_pairs, utc_month
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import (
    Answer,
    Audit,
    Case,
    ModerationSelection,
    Role,
    TemplateVersion,
    User,
)
from qa_app.moderation.agreement_report import AgreementFilters, agreement_report
from qa_app.moderation.items import GradedItem
from qa_app.people.operations import create_user
from qa_app.template_format.definition import TemplateDefinition
from tests.benchmarks.council_seed import (
    PASSWORD,
    bench_app,
    bench_databases,
    seed_teams_and_auditors,
)

MODERATED = 20_000
WAITING = 2_000
TEAMS = 40
AUDITORS = 60
TODAY = date(2026, 6, 1)


def main() -> None:
    for name, url in bench_databases("moderation"):
        _run(name, url)


def _run(name: str, url: str) -> None:
    app = bench_app(url, WTF_CSRF_ENABLED=False, MAIL_BACKEND="locmem")
    with app.app_context():
        started = time.perf_counter()
        answers = _fill(random.Random(2026))
        # Rows were written without the hooks that keep the rollup (the audit facts, and the
        # agreement pairs counted by the month the facts give): build it.
        rollup_started = time.perf_counter()
        pair_rows = rebuild_rollup(db.session).agreement_pairs
        db.session.commit()
        rollup_s = time.perf_counter() - rollup_started
        print(
            f"set-up db={name}: {MODERATED:,} moderated audits ({answers:,} moderated answers), "
            f"{WAITING:,} waiting, {AUDITORS} auditors, {TEAMS} teams "
            f"in {time.perf_counter() - started:.1f} s; rollup with {pair_rows:,} agreement pair "
            f"rows in {rollup_s:.1f} s",
            flush=True,
        )
        report_s = _best(lambda: agreement_report(db.session, AgreementFilters()))
        # Dates that cut two months part way: whole months from the rollup, the rest from answers.
        dates = AgreementFilters(since=date(2025, 9, 15), until=date(2026, 2, 10))
        dates_s = _best(lambda: agreement_report(db.session, dates))
        # What the hook adds to one moderation: recounting its auditor's pairs of that month.
        audit = db.session.get(Audit, db.session.scalar(select(func.min(Audit.id))))
        cell = (audit.auditor_id, utc_month(audit.moderated_at))
        refresh_s = _best(lambda: refresh_agreement_pairs(db.session, {cell}))
        db.session.rollback()
        report = agreement_report(db.session, AgreementFilters())
        overall = report.overall[0].figures
        print(
            f"overall judgement: {overall.pairs:,} pairs, exact {overall.exact_percent:.1f}%, "
            f"within one {overall.within_one_percent:.1f}%, "
            f"linear kappa {overall.linear.kappa:.3f}"
        )
        db.session.remove()
    results = {
        "agreement_report_s": report_s,
        "report_dates_s": dates_s,
        "refresh_auditor_month_s": refresh_s,
    }
    for role, email in (("qa_lead", "lead@example.org"), ("manager", "manager@example.org")):
        client = app.test_client()
        response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code

        def page(client=client) -> None:
            assert client.get("/moderation/agreement").status_code == 200

        results[f"page_{role}_s"] = _best(page)
        if role == "qa_lead":

            def queue(client=client) -> None:
                assert client.get("/moderation/queue").status_code == 200

            results["queue_page_s"] = _best(queue)
    figures = " ".join(f"{key}={value:.3f}" for key, value in results.items())
    print(f"BENCH moderation db={name} audits={MODERATED} answers={answers} {figures}", flush=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _best(run: Callable[[], object], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _items(definition: TemplateDefinition) -> list[GradedItem]:
    """Every graded question and section judgement of the template (all treated as asked)."""
    items = []
    for section in definition.sections:
        for criterion in section.criteria:
            if criterion.type == "scale" and criterion.scale:
                scale = definition.scale(criterion.scale)
                items.append(GradedItem(criterion.key, section.key, "", scale, ""))
        if section.judgement is not None:
            scale = definition.scale(section.judgement.scale)
            items.append(GradedItem(f"{section.key}.judgement", section.key, "", scale, ""))
    return items


def _moderated_grade(rng: random.Random, values: list[str], index: int, bias: int) -> str:
    roll = rng.random()
    step = 0 if roll < 0.7 else (1 if roll < 0.95 else 2)
    if step and rng.random() < 0.5 + 0.3 * bias:
        step = -step if bias < 0 else step
    elif step:
        step = -step
    return values[max(0, min(index + step, len(values) - 1))]


def _fill(rng: random.Random) -> int:
    """Insert templates, teams, people (the sampling benchmark's seeding), cases, audits and
    answers (Core executemany)."""
    team_ids, auditor_ids = seed_teams_and_auditors(TEAMS, AUDITORS)
    create_user(db.session, "lead@example.org", "QA lead (synthetic)", Role.QA_LEAD, PASSWORD, None)
    create_user(
        db.session,
        "manager@example.org",
        "Manager (synthetic)",
        Role.MANAGER,
        PASSWORD,
        "Team 01 (synthetic)",
    )
    moderator_id = db.session.scalar(select(User.id).where(User.email == "lead@example.org"))
    total = MODERATED + WAITING
    db.session.execute(
        insert(Case),
        [
            {"reference": f"SYN-{n:06d}", "team_id": rng.choice(team_ids)}
            for n in range(1, total + 1)
        ],
    )
    case_ids = list(db.session.scalars(select(Case.id).order_by(Case.id)))
    version = db.session.scalar(select(TemplateVersion).where(TemplateVersion.key == "front-door"))
    definition = version.definition
    items = _items(definition)
    overall_values = [o.value for o in definition.scale(definition.overall.scale).options]
    start = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC) - timedelta(days=365)
    bias = {auditor: rng.choice((-1, 0, 0, 0, 1)) for auditor in auditor_ids}
    audits = []
    plans = []
    for n, case_id in enumerate(case_ids):
        auditor = auditor_ids[n % len(auditor_ids)]
        moderated = n < MODERATED
        index = rng.randrange(len(overall_values))
        submitted = start + timedelta(minutes=25 * n)
        audits.append(
            {
                "template_version_id": version.id,
                "case_id": case_id,
                "auditor_id": auditor,
                "status": "moderated" if moderated else "submitted",
                "submitted_at": submitted,
                "overall_judgement": overall_values[index],
                "score": rng.random(),
                "moderator_id": moderator_id if moderated else None,
                "moderated_at": submitted + timedelta(days=5) if moderated else None,
                "moderated_overall_judgement": _moderated_grade(
                    rng, overall_values, index, bias[auditor]
                )
                if moderated
                else None,
                "moderated_score": rng.random() if moderated else None,
                "lock_version": 1,
                "created_at": submitted,
                "updated_at": submitted,
            }
        )
        plans.append((moderated, auditor))
    db.session.execute(insert(Audit), audits)
    audit_ids = list(db.session.scalars(select(Audit.id).order_by(Audit.id)))
    answers = 0
    batch = []
    for audit_id, (moderated, auditor) in zip(audit_ids, plans, strict=True):
        for item in items:
            values = [o.value for o in item.scale.options]
            index = rng.randrange(len(values))
            value = values[index]
            batch.append(
                {
                    "audit_id": audit_id,
                    "criterion_key": item.key,
                    "lineage_key": item.key,
                    "section_key": item.section_key,
                    "value": value,
                    "score": 1 - index / max(len(values) - 1, 1),
                    "moderated_value": _moderated_grade(rng, values, index, bias[auditor])
                    if moderated
                    else None,
                }
            )
            answers += moderated
        if len(batch) >= 50_000:
            db.session.execute(insert(Answer), batch)
            batch = []
    if batch:
        db.session.execute(insert(Answer), batch)
    waiting = audit_ids[MODERATED:]
    db.session.execute(
        insert(ModerationSelection),
        [
            {
                "audit_id": audit_id,
                "reason": "sample",
                "selected_at": start,
                "due_date": TODAY,
                "blind": False,
                "lock_version": 1,
                "created_at": start,
                "updated_at": start,
            }
            for audit_id in waiting
        ],
    )
    db.session.commit()
    assert db.session.scalar(select(func.count(Answer.id))) >= answers
    assert OVERALL
    return answers


if __name__ == "__main__":
    main()
