"""Indexes on the keys lists sort and look up by, so a list's last page costs what its first does.

Kept beside the models rather than in them: they belong to how lists read, not to what a row is.
"""

from sqlalchemy import Index

from qa_app.models.audits import Audit, Case

# All audits and My audits: newest change first (the default order), and by submission date.
AUDITS_BY_CHANGE = Index("ix_audits_updated_at_id", Audit.updated_at, Audit.id)
AUDITS_BY_SUBMISSION = Index("ix_audits_submitted_at_id", Audit.submitted_at, Audit.id)
# All audits' filters, counts and sorts, answered from this index alone: every column the list
# filters, groups or sorts by on the audit itself (the grouped ones first, in GROUP BY order), so
# neither the counts nor the search for a page's ids reads a single audit row.
AUDITS_FOR_LISTS = Index(
    "ix_audits_list",
    Audit.status,
    Audit.overall_judgement,
    Audit.moderated_overall_judgement,
    Audit.auditor_id,
    Audit.template_version_id,
    Audit.round_id,
    Audit.case_id,
    Audit.submitted_at,
    Audit.updated_at,
    Audit.score,
    Audit.moderated_score,
)
# Sampling: each case's most recent audit, read from the index alone.
AUDITS_BY_CASE_AND_START = Index("ix_audits_case_id_created_at", Audit.case_id, Audit.created_at)
# The case list: by team, then reference.
CASES_BY_TEAM_AND_REFERENCE = Index("ix_cases_team_id_reference", Case.team_id, Case.reference)
