"""The data model. Import models from here so every table is registered with the metadata."""

from qa_app.models.audits import Answer, Audit, AuditEvent, AuditStatus, Case
from qa_app.models.people import Role, Team, User
from qa_app.models.templates import TemplateVersion

__all__ = [
    "Answer",
    "Audit",
    "AuditEvent",
    "AuditStatus",
    "Case",
    "Role",
    "Team",
    "TemplateVersion",
    "User",
]
