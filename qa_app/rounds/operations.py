"""Changes to audit rounds: create, draw again and confirm. Each writes to the event log.

A round is created in draft with its rule and seed. While in draft its sample is only previewed
(drawn afresh from the current cases each time, never stored) and may be drawn again with a new
seed. Confirming stores the drawn cases; from then on the sample is fixed and its cases can be
assigned to auditors (``assigning.py``). Views and the CLI call these and commit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.models import AuditRound, RoundStatus, TemplateVersion, User
from qa_app.rounds import queries
from qa_app.rounds.bulk_rows import insert_round_cases
from qa_app.sampling.draw import Sample, SamplingRule, draw_from_candidates
from qa_app.sampling.rule import MAX_SEED, RuleProblem

NAME_MAX = 120


class RoundRefused(ValueError):
    """The change cannot be made as asked; ``problems`` says why, field by field."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class RoundDetails:
    name: str
    template_version: TemplateVersion
    period_start: date
    period_end: date
    due_date: date
    rule: SamplingRule
    seed: int | None = None  # None: a new random seed is chosen and recorded


def new_seed(avoid: int | None = None) -> int:
    """Return a fresh random seed that fits the round's seed column (and differs from ``avoid``)."""
    chooser = random.SystemRandom()
    while True:
        seed = chooser.randint(1, MAX_SEED)
        if seed != avoid:
            return seed


def check_round(details: RoundDetails) -> list[RuleProblem]:
    """Return what is wrong with a round's details (an empty list when they are sound)."""
    problems = check_name(details.name)
    problems.extend(check_round_dates(details.period_start, details.period_end, details.due_date))
    problems.extend(details.rule.validate())
    if details.seed is not None and not 0 <= details.seed <= MAX_SEED:
        problems.append(RuleProblem("seed", f"Seed must be a whole number from 0 to {MAX_SEED:,}"))
    return problems


def check_name(name: str) -> list[RuleProblem]:
    """Return the problems with a round's name: it must be given and fit its column."""
    if not name.strip():
        return [RuleProblem("name", "Enter a name for the round")]
    if len(name.strip()) > NAME_MAX:
        return [RuleProblem("name", f"Name must be {NAME_MAX} characters or fewer")]
    return []


def check_round_dates(
    period_start: date | None, period_end: date | None, due_date: date | None
) -> list[RuleProblem]:
    """Return problems with the dates: the period end and the due date must not be before the
    period start. A date not known (None, as when it was mistyped) is not compared."""
    problems = []
    if period_start and period_end and period_end < period_start:
        problems.append(
            RuleProblem("period_end", "Period end must be the same as or after the period start")
        )
    if period_start and due_date and due_date < period_start:
        problems.append(
            RuleProblem("due_date", "Due date must be the same as or after the period start")
        )
    return problems


def create_round(session: Session, actor: User | None, details: RoundDetails) -> AuditRound:
    """Return a new draft round, after checking its details (raises RoundRefused)."""
    problems = check_round(details)
    if problems:
        raise RoundRefused(problems)
    seed = details.seed if details.seed is not None else new_seed()
    audit_round = AuditRound(
        name=details.name.strip(),
        template_version_id=details.template_version.id,
        period_start=details.period_start,
        period_end=details.period_end,
        due_date=details.due_date,
        rule=details.rule.to_dict(),
        seed=seed,
        status=RoundStatus.DRAFT.value,
        created_by_id=actor.id if actor is not None else None,
    )
    session.add(audit_round)
    session.flush()
    record_event(
        session,
        "round_created",
        actor,
        round_id=audit_round.id,
        name=audit_round.name,
        template=details.template_version.key,
        version=details.template_version.version,
        period_start=details.period_start.isoformat(),
        period_end=details.period_end.isoformat(),
        due_date=details.due_date.isoformat(),
        rule=audit_round.rule,
        seed=seed,
        seed_given=details.seed is not None,
    )
    return audit_round


def draw_preview(
    session: Session, rule: SamplingRule, seed: int, today: date | None = None
) -> Sample:
    """Return the sample the rule and seed draw from the cases as they are now (nothing stored)."""
    pool = queries.sampling_pool(session, rule, today or date.today())
    return draw_from_candidates(pool.candidates, pool.team_names, rule, seed)


def preview_round(session: Session, audit_round: AuditRound, today: date | None = None) -> Sample:
    """Return the draft round's sample as its rule and seed draw it today (nothing stored)."""
    return draw_preview(session, SamplingRule.from_dict(audit_round.rule), audit_round.seed, today)


def redraw_round(
    session: Session, audit_round: AuditRound, actor: User | None, seed: int | None = None
) -> int:
    """Give a draft round a new seed (random unless given) and return it. Raises RoundRefused
    once the round is confirmed."""
    if audit_round.status != RoundStatus.DRAFT.value:
        raise RoundRefused(
            [RuleProblem("seed", "The sample is confirmed: it cannot be drawn again")]
        )
    old_seed = audit_round.seed
    audit_round.seed = seed if seed is not None else new_seed(avoid=old_seed)
    session.flush()
    record_event(
        session,
        "round_redrawn",
        actor,
        round_id=audit_round.id,
        old_seed=old_seed,
        new_seed=audit_round.seed,
    )
    return audit_round.seed


def confirm_round(
    session: Session,
    audit_round: AuditRound,
    actor: User | None,
    *,
    expected_seed: int | None = None,
    today: date | None = None,
) -> Sample:
    """Fix the round's sample: store its drawn cases and mark it confirmed; return the sample.

    Raises RoundRefused when the round is already confirmed, when it was drawn again since the
    caller looked (``expected_seed`` differs), or when the rule leaves no case to draw.
    """
    if expected_seed is not None and expected_seed != audit_round.seed:
        raise RoundRefused(
            [
                RuleProblem(
                    "seed",
                    "The sample was drawn again since you looked at it. "
                    "Check the new sample before confirming",
                )
            ]
        )
    sample = preview_round(session, audit_round, today)
    if not sample.selected:
        raise RoundRefused(
            [
                RuleProblem(
                    "seed",
                    "There are no eligible cases to confirm. Change the rule or the case list",
                )
            ]
        )
    # Only one confirmation wins, even when two people press the button at once.
    claimed = session.execute(
        update(AuditRound)
        .where(AuditRound.id == audit_round.id, AuditRound.status == RoundStatus.DRAFT.value)
        .values(status=RoundStatus.CONFIRMED.value, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if claimed.rowcount != 1:
        raise RoundRefused([RuleProblem("seed", "The sample is already confirmed")])
    # Thousands of rows: written in bulk, without the ORM's per-row bookkeeping.
    insert_round_cases(
        session.connection(),
        [
            {"round_id": audit_round.id, "case_id": c.case_id, "stratum": c.stratum}
            for c in sample.selected
        ],
    )
    record_event(
        session,
        "round_confirmed",
        actor,
        round_id=audit_round.id,
        seed=audit_round.seed,
        drawn=len(sample.selected),
        shortfalls=[s.message for s in sample.shortfalls],
        excluded_closed=sample.excluded_counts.closed,
        excluded_audited_recently=sample.excluded_counts.audited_recently,
    )
    return sample
