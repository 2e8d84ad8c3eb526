"""The data model. Import models from here so every table is registered with the metadata."""

from qa_app.models.audits import REPORTED_STATUSES, Answer, Audit, AuditEvent, AuditStatus, Case
from qa_app.models.follow_up import (
    Action,
    ActionPriority,
    ActionScope,
    ActionStatus,
    SafeguardingConcern,
)
from qa_app.models.governance import AccessKind, AccessRecord, PurgedRecord, RetentionRun, SignIn
from qa_app.models.held_forms import HeldForm
from qa_app.models.insight import (
    AgreementPairMonth,
    InsightAnswerFact,
    InsightAuditFact,
    InsightAuditMonth,
    InsightCriterionFinding,
    InsightCriterionMonth,
)
from qa_app.models.jobs import Job, JobStatus
from qa_app.models.list_indexes import AUDITS_BY_CHANGE  # noqa: F401  (registers the indexes)
from qa_app.models.moderation import (
    ModerationDraw,
    ModerationGrade,
    ModerationResponse,
    ModerationRule,
    ModerationSelection,
    SelectionReason,
)
from qa_app.models.people import ALL_TEAM_ROLES, MANAGING_ROLES, Role, Team, User
from qa_app.models.sampling import AuditRound, RoundCase, RoundStatus
from qa_app.models.security import SignInFailure
from qa_app.models.templates import TemplateVersion
from qa_app.models.text_revisions import TextRevision

__all__ = [
    "AgreementPairMonth",
    "AccessKind",
    "AccessRecord",
    "PurgedRecord",
    "RetentionRun",
    "SignIn",
    "ALL_TEAM_ROLES",
    "MANAGING_ROLES",
    "Action",
    "ActionPriority",
    "ActionScope",
    "ActionStatus",
    "Answer",
    "Audit",
    "AuditEvent",
    "AuditRound",
    "AuditStatus",
    "REPORTED_STATUSES",
    "Case",
    "HeldForm",
    "Job",
    "JobStatus",
    "InsightAnswerFact",
    "InsightAuditFact",
    "InsightAuditMonth",
    "InsightCriterionFinding",
    "InsightCriterionMonth",
    "ModerationDraw",
    "ModerationGrade",
    "ModerationResponse",
    "ModerationRule",
    "ModerationSelection",
    "SelectionReason",
    "Role",
    "RoundCase",
    "RoundStatus",
    "SafeguardingConcern",
    "SignInFailure",
    "Team",
    "TemplateVersion",
    "TextRevision",
    "User",
]
