"""A small synthetic template in two versions and audits built to order, for insight tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.audits.responses import Response
from qa_app.audits.scoring import score_audit
from qa_app.models import Answer, Audit, AuditStatus, Case, Team, TemplateVersion, User
from qa_app.template_library.loading import apply_template_load, plan_template_load

VERSION_1 = """
key: insight-test
version: 1
title: Insight test audit (synthetic)
findings:
  strategy-timescales: Strategy meeting actions have explicit timescales
  child-seen: Children are seen alone
sections:
  - key: safety
    title: Safety
    judgement:
      question: How well is the child protected?
      scale: ofsted
    criteria:
      - key: risk
        question: Is risk to the child understood?
        scale: ofsted
      - key: strategy_held
        question: Was a strategy meeting held?
        scale: yes_no
        allow_na: true
        rationale: never
      - key: strategy_timed
        question: Did the strategy meeting's actions have timescales?
        scale: yes_partly_no
        findings: [strategy-timescales]
        show_if:
          criterion: strategy_held
          is: "yes"
      - key: seen_alone
        question: Was the child seen alone?
        scale: yes_no
        allow_na: true
        findings: [child-seen]
overall:
  question: What is the overall quality of practice?
  scale: ofsted
"""

# Version 2 rewords the timescales question under a new key that continues its trend.
VERSION_2 = (
    VERSION_1.replace("version: 1", "version: 2")
    .replace("key: strategy_timed", "key: actions_timed\n        replaces: strategy_timed")
    .replace(
        "Did the strategy meeting's actions have timescales?",
        "Did every strategy meeting action have a timescale?",
    )
)


def load_test_templates(session: Session, tmp_path: Path, *texts: str) -> list[TemplateVersion]:
    """Load the given template texts (in order, as separate loads) and return their versions."""
    for n, text in enumerate(texts):
        path = tmp_path / f"insight-{n}.yaml"
        path.write_text(text)
        plan = plan_template_load(session, [path])
        assert not plan.problems, plan.problems
        apply_template_load(session, plan)
        session.flush()
    return list(session.scalars(select(TemplateVersion).order_by(TemplateVersion.version)))


@dataclass
class AuditSpec:
    team: Team
    month: tuple[int, int]
    answers: dict[str, str]
    overall: str
    version: int = 1
    status: str = AuditStatus.SUBMITTED.value
    case_type: str = "child_in_need"
    moderated: dict[str, str] = field(default_factory=dict)
    moderated_overall: str | None = None
    due: date | None = None


def make_audit(session: Session, auditor: User, spec: AuditSpec, n: int) -> Audit:
    """Store an audit as the forms would (scores from the template's scoring), not yet rolled up."""
    version = session.scalar(
        select(TemplateVersion).where(
            TemplateVersion.key == "insight-test", TemplateVersion.version == spec.version
        )
    )
    definition = version.definition
    responses = {key: Response(value) for key, value in spec.answers.items()}
    score = score_audit(definition, responses)
    case = Case(reference=f"SYN-INS-{n:05d}", team=spec.team, case_type=spec.case_type)
    submitted = datetime(spec.month[0], spec.month[1], 15, 12, tzinfo=UTC)
    audit = Audit(
        template_version=version,
        case=case,
        auditor=auditor,
        status=spec.status,
        overall_judgement=spec.overall,
        overall_rationale="Synthetic test text",
        score=score.overall,
        submitted_at=submitted,
        created_at=submitted,
        due_date=spec.due,
    )
    for key, value in spec.answers.items():
        section = definition.section_of(key)
        audit.answers.append(
            Answer(
                criterion_key=key,
                lineage_key=definition.lineage_key(key),
                section_key=section.key if section else key.split(".")[0],
                value=value,
                rationale="Synthetic test text",
                score=score.answers.get(key),
            )
        )
    session.add(audit)
    session.flush()
    if spec.moderated or spec.moderated_overall:
        moderate(session, audit, spec.moderated, spec.moderated_overall)
    return audit


def moderate(session: Session, audit: Audit, grades: dict[str, str], overall: str | None) -> None:
    """Complete a moderation as the outcome columns record it: every answer gets a moderated
    grade (agreed ones copied), the overall too."""
    definition = audit.template_version.definition
    final = {a.criterion_key: Response(grades.get(a.criterion_key, a.value)) for a in audit.answers}
    score = score_audit(definition, final)
    for answer in audit.answers:
        answer.moderated_value = final[answer.criterion_key].value
        answer.moderated_score = score.answers.get(answer.criterion_key)
    audit.moderated_overall_judgement = overall or audit.overall_judgement
    audit.moderated_score = score.overall
    audit.moderated_at = datetime.now(UTC)
    audit.moderator_id = audit.auditor_id
    session.flush()
