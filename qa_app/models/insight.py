"""The insight rollup: facts derived from reported audits, kept current in the same transaction.

Dashboards and the leadership pack read these tables instead of the answers. Every row can be
rebuilt from audits and answers (``flask --app qa_app insight rebuild``), so nothing here is a
record of its own. Flags are 0/1 integers so both databases can SUM them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.extensions import db


class InsightCell:
    """Where a fact or a sum falls: the month-level cell (month, team, case type, template
    version, round) that ``qa_app.insight.aggregates`` recomputes when one of its audits changes."""

    # The first day of the month (in England) the audit was submitted.
    month: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int] = mapped_column(Integer)
    case_type: Mapped[str | None] = mapped_column(String(40))
    template_key: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[int] = mapped_column(Integer)
    round_id: Mapped[int | None] = mapped_column(Integer)


class InsightAuditFact(InsightCell, db.Model):
    """One row per reported audit: where it falls (month, team, template, round) and its grades."""

    __tablename__ = "insight_audit_facts"
    __table_args__ = (Index("ix_insight_audit_facts_month_team", "month", "team_id"),)

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True
    )
    # The first day of the month the audit was due (the audit programme counts by due date).
    due_month: Mapped[date | None] = mapped_column(Date)
    auditor_id: Mapped[int] = mapped_column(Integer)
    moderated: Mapped[int] = mapped_column(Integer, default=0)
    # The first day of the month (in UTC) the audit was moderated: where the agreement pair
    # rollup counts it, read before a change so the month it leaves is recounted too.
    moderated_month: Mapped[date | None] = mapped_column(Date)
    auditor_judgement: Mapped[str | None] = mapped_column(String(40))
    final_judgement: Mapped[str | None] = mapped_column(String(40))
    auditor_score: Mapped[float | None] = mapped_column(Float)
    final_score: Mapped[float | None] = mapped_column(Float)
    # 1 when the judgement is at or above the scale's "good" threshold / at its lowest grade.
    auditor_good: Mapped[int | None] = mapped_column(Integer)
    final_good: Mapped[int | None] = mapped_column(Integer)
    auditor_inadequate: Mapped[int | None] = mapped_column(Integer)
    final_inadequate: Mapped[int | None] = mapped_column(Integer)


class InsightAuditMonth(InsightCell, db.Model):
    """Audit facts counted by month, team, case type, template version, round, due month and
    the auditor's and final judgements.

    The grade profile, trend, teams, moderation and programme panels read this table (hundreds
    of rows a year) instead of one fact per audit; a cell is recomputed from the audit facts
    whenever one of its audits changes, with the criterion months.
    """

    __tablename__ = "insight_audit_months"
    __table_args__ = (
        Index("ix_insight_audit_months_cell", "month", "team_id"),
        Index("ix_insight_audit_months_due", "due_month", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    due_month: Mapped[date | None] = mapped_column(Date)
    moderated: Mapped[int] = mapped_column(Integer)
    auditor_judgement: Mapped[str | None] = mapped_column(String(40))
    final_judgement: Mapped[str | None] = mapped_column(String(40))
    audits: Mapped[int] = mapped_column(Integer)
    auditor_good: Mapped[int] = mapped_column(Integer)
    final_good: Mapped[int] = mapped_column(Integer)
    auditor_inadequate: Mapped[int] = mapped_column(Integer)
    final_inadequate: Mapped[int] = mapped_column(Integer)
    auditor_scored: Mapped[int] = mapped_column(Integer)
    auditor_score_sum: Mapped[float] = mapped_column(Float)
    final_scored: Mapped[int] = mapped_column(Integer)
    final_score_sum: Mapped[float] = mapped_column(Float)


class InsightAnswerFact(InsightCell, db.Model):
    """One row per graded answer (scale criteria and section judgements) of a reported audit."""

    __tablename__ = "insight_answer_facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    section_key: Mapped[str] = mapped_column(String(80))
    criterion_key: Mapped[str] = mapped_column(String(80))
    # Joins a criterion's line across template versions (Answer.lineage_key).
    lineage_key: Mapped[str] = mapped_column(String(80))
    is_judgement: Mapped[int] = mapped_column(Integer, default=0)
    auditor_value: Mapped[str | None] = mapped_column(String(40))
    auditor_score: Mapped[float | None] = mapped_column(Float)
    final_value: Mapped[str | None] = mapped_column(String(40))
    final_score: Mapped[float | None] = mapped_column(Float)
    auditor_good: Mapped[int | None] = mapped_column(Integer)
    final_good: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[int] = mapped_column(Integer, default=0)
    # Stored but hidden by the template's show-if rules: not asked, so not counted.
    not_asked: Mapped[int] = mapped_column(Integer, default=0)


class InsightCriterionMonth(InsightCell, db.Model):
    """Answer facts summed by month, team, case type, template version, round and criterion.

    Small enough to scan for any dashboard filter; a (month, team, case type, version, round)
    cell is recomputed from the answer facts whenever one of its audits changes.
    """

    __tablename__ = "insight_criterion_months"
    __table_args__ = (Index("ix_insight_criterion_months_cell", "month", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_key: Mapped[str] = mapped_column(String(80))
    criterion_key: Mapped[str] = mapped_column(String(80))
    lineage_key: Mapped[str] = mapped_column(String(80))
    is_judgement: Mapped[int] = mapped_column(Integer)
    answers: Mapped[int] = mapped_column(Integer)
    auditor_graded: Mapped[int] = mapped_column(Integer)
    auditor_good: Mapped[int] = mapped_column(Integer)
    auditor_score_sum: Mapped[float] = mapped_column(Float)
    final_graded: Mapped[int] = mapped_column(Integer)
    final_good: Mapped[int] = mapped_column(Integer)
    final_score_sum: Mapped[float] = mapped_column(Float)
    not_applicable: Mapped[int] = mapped_column(Integer)
    not_asked: Mapped[int] = mapped_column(Integer)


class InsightCriterionFinding(db.Model):
    """Which inspection finding each criterion of each template version answers."""

    __tablename__ = "insight_criterion_findings"

    template_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    template_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    criterion_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    finding: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class AgreementPairMonth(db.Model):
    """(Auditor's grade, moderator's grade) pairs of moderated answers, counted by the month (in
    UTC, as the Moderation page's date filters read) the audit was moderated, its round, template
    version, auditor and the criterion.

    The agreement figures read this table (tens of thousands of rows a year) instead of every
    moderated answer; an auditor's rows are recomputed whenever one of their audits changes.
    The covering index lets the figures' GROUP BY read the index alone.
    """

    __tablename__ = "agreement_pair_months"
    __table_args__ = (
        Index(
            "ix_agreement_pair_months_pairs",
            "auditor_id",
            "template_version_id",
            "criterion_key",
            "auditor_value",
            "moderated_value",
            "month",
            "round_id",
            "pairs",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL only for a moderated audit with no moderation time: counted when no dates are asked.
    month: Mapped[date | None] = mapped_column(Date)
    round_id: Mapped[int | None] = mapped_column(Integer)
    template_version_id: Mapped[int] = mapped_column(Integer)
    auditor_id: Mapped[int] = mapped_column(Integer)
    criterion_key: Mapped[str] = mapped_column(String(80))
    auditor_value: Mapped[str | None] = mapped_column(Text)
    moderated_value: Mapped[str] = mapped_column(Text)
    pairs: Mapped[int] = mapped_column(Integer)
