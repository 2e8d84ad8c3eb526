"""Twelve months of synthetic audit history, so the dashboards tell a story on first run.

Believable on purpose, and made up entirely: Child Protection East (synthetic) improves over the
year, the front door teams hold steady, and strategy meetings' action timescales (the
"strategy-timescales" inspection finding) get worse month by month. Section judgements follow
from their criteria and the overall judgement from the sections. About a quarter of audits are
moderated: most grades agreed, some moved one grade, a few two. ``history_inserts.py`` writes
the plan with Core bulk inserts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from qa_app.audits.responses import JUDGEMENT_SUFFIX, OVERALL, Response, Responses
from qa_app.demo.synthetic import consistent_responses
from qa_app.display import ENGLAND
from qa_app.insight.filters import add_months
from qa_app.models import AuditStatus, SelectionReason, Team, TemplateVersion, User
from qa_app.template_format.definition import NOT_APPLICABLE, TemplateDefinition

WORSENING_FINDING = "strategy-timescales"
AUDITS_PER_TEAM_MONTH = 7
MODERATED_SHARE = 0.22


@dataclass(frozen=True)
class TeamStory:
    """How a team's practice is graded over the year: a quality from 0 to 1 per month."""

    start: float
    end: float
    case_types: tuple[tuple[str, float], ...]

    def quality(self, month_index: int) -> float:
        return self.start + (self.end - self.start) * month_index / 11


# In DEMO_TEAMS order: two steady front door teams, one improving team, one steady team.
TEAM_STORIES = (
    TeamStory(
        0.62,
        0.64,
        (("contact_referral", 0.6), ("early_help", 0.25), ("homeless_16_17", 0.1), ("lado", 0.05)),
    ),
    TeamStory(
        0.52,
        0.5,
        (
            ("contact_referral", 0.6),
            ("early_help", 0.2),
            ("child_in_need", 0.1),
            ("homeless_16_17", 0.1),
        ),
    ),
    TeamStory(0.28, 0.85, (("child_protection", 0.7), ("child_in_need", 0.3))),
    TeamStory(0.66, 0.62, (("child_in_need", 0.8), ("child_protection", 0.2))),
)
TEMPLATES_FOR = {
    "contact_referral": (("front-door", 0.85), ("supervision", 0.15)),
    "early_help": (("front-door", 1.0),),
    "child_in_need": (("cin-cp", 0.75), ("front-door", 0.1), ("supervision", 0.15)),
    "child_protection": (("cin-cp", 0.85), ("supervision", 0.15)),
    "homeless_16_17": (("homeless-16-17", 0.6), ("front-door", 0.4)),
    "lado": (("lado", 1.0),),
}


@dataclass
class PlannedAudit:
    team: Team
    case_type: str
    version: TemplateVersion
    auditor: User
    submitted_at: datetime
    responses: Responses
    round_id: int | None = None
    status: str = AuditStatus.SUBMITTED.value
    moderated: Responses = field(default_factory=dict)
    moderation: str | None = None  # None, "waiting", "taken", "done", "closed"
    selection_reason: str = SelectionReason.SAMPLE


def _choose(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _moment(month: date, rng: random.Random, latest: datetime) -> datetime:
    day = min(rng.randint(1, 28), 28)
    local = datetime(
        month.year, month.month, day, rng.randint(9, 16), rng.randint(0, 59), tzinfo=ENGLAND
    )
    return min(local.astimezone(UTC), latest)


def plan_history(
    rng: random.Random,
    versions: dict[str, TemplateVersion],
    teams: list[Team],
    auditor: User,
    manager: User,
    today: date,
    now: datetime,
    rounds: dict[date, int],
) -> list[PlannedAudit]:
    """Return the audits of the twelve whole months before this one, all submitted."""
    this_month = date(today.year, today.month, 1)
    planned = []
    for index in range(12):
        month = add_months(this_month, index - 12)
        for team, story in zip(teams, TEAM_STORIES, strict=False):
            for _ in range(AUDITS_PER_TEAM_MONTH):
                case_type = _choose(rng, story.case_types)
                key = _choose(rng, TEMPLATES_FOR[case_type])
                version = versions.get(key) or versions["front-door"]
                definition = version.definition
                quality = min(max(story.quality(index) + rng.gauss(0, 0.12), 0.05), 0.97)
                worsening = {
                    c.key: min(max(0.88 - 0.06 * index + rng.gauss(0, 0.08), 0.05), 0.97)
                    for c in definition.criteria()
                    if WORSENING_FINDING in c.findings
                }
                responses = consistent_responses(definition, rng, quality, worsening)
                planned.append(
                    PlannedAudit(
                        team=team,
                        case_type=case_type,
                        version=version,
                        # The demo auditor never audits their own team's cases.
                        auditor=manager if team.id == auditor.team_id else auditor,
                        submitted_at=_moment(month, rng, now - timedelta(days=1)),
                        responses=responses,
                        round_id=rounds.get(month) if key == "front-door" else None,
                    )
                )
    _plan_moderation(rng, planned, this_month)
    return planned


def _plan_moderation(rng: random.Random, planned: list[PlannedAudit], this_month: date) -> None:
    last_month = add_months(this_month, -1)
    for audit in planned:
        overall = audit.responses[OVERALL].value
        always = overall in ("inadequate", "outstanding") and rng.random() < 0.7
        if not always and rng.random() >= MODERATED_SHARE:
            continue
        audit.selection_reason = SelectionReason.JUDGEMENT if always else SelectionReason.SAMPLE
        recent = audit.submitted_at.date() >= last_month
        roll = rng.random()
        if recent and roll < 0.3:
            audit.moderation = "waiting"
        elif recent and roll < 0.6:
            audit.moderation, audit.status = "taken", AuditStatus.IN_MODERATION.value
        else:
            audit.moderation = "closed" if rng.random() < 0.5 else "done"
            audit.status = (
                AuditStatus.CLOSED.value
                if audit.moderation == "closed"
                else AuditStatus.MODERATED.value
            )
            audit.moderated = _moderated_grades(rng, audit.version.definition, audit.responses)


def _moderated_grades(
    rng: random.Random, definition: TemplateDefinition, responses: Responses
) -> Responses:
    """Return the moderator's grades: most agreed, some one grade away, a few two (moderators
    more often grade down than up)."""
    moderated: Responses = {}
    for key, response in responses.items():
        scale = _scale_of(definition, key)
        if scale is None or not response.value or response.value == NOT_APPLICABLE:
            continue
        values = [o.value for o in scale.options]
        if response.value not in values:
            continue
        agree, one = (0.78, 0.96) if key == OVERALL else (0.87, 0.975)
        roll = rng.random()
        steps = 0 if roll < agree else 1 if roll < one else 2
        direction = 1 if rng.random() < 0.7 else -1  # options run best first: +1 is worse
        position = values.index(response.value) + steps * direction
        position = min(max(position, 0), len(values) - 1)
        moderated[key] = Response(values[position])
    return moderated


def _scale_of(definition: TemplateDefinition, key: str):
    if key == OVERALL:
        return definition.scale(definition.overall.scale)
    if key.endswith(JUDGEMENT_SUFFIX):
        for section in definition.sections:
            if section.key == key.removesuffix(JUDGEMENT_SUFFIX) and section.judgement:
                return definition.scale(section.judgement.scale)
        return None
    criterion = definition.criterion(key)
    if criterion is None or criterion.type != "scale" or criterion.scale is None:
        return None
    return definition.scale(criterion.scale)
