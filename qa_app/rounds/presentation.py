"""What the round pages show: plain data built from queries, so views and templates stay thin."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session
from wtforms import SelectChoice

from qa_app.models import AuditRound, AuditStatus, Role, RoundStatus, User
from qa_app.rounds import queries
from qa_app.rounds.forms import AssignEvenlyForm
from qa_app.rounds.operations import preview_round
from qa_app.sampling.rule import SamplingRule
from qa_app.template_format.definition import CASE_TYPES

STATUS_TAGS = {
    RoundStatus.DRAFT.value: "govuk-tag--grey",
    RoundStatus.CONFIRMED.value: "govuk-tag--green",
}

STATUS_LABELS = {
    RoundStatus.DRAFT.value: "Draft: sample not confirmed",
    RoundStatus.CONFIRMED.value: "Confirmed",
}


def long_date(value: date | None) -> str:
    """Return a date as people read it, e.g. 3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def status_label(status: str) -> str:
    """Return a round status in words."""
    return STATUS_LABELS.get(status, status)


def status_tag(status: str) -> dict[str, str]:
    """Return a round status as GOV.UK tag parameters (text and colour)."""
    return {"text": status_label(status), "classes": STATUS_TAGS.get(status, "govuk-tag--grey")}


def case_type_label(case_type: str | None) -> str:
    """Return a case type as people read it ("Child protection", not "child_protection")."""
    if not case_type:
        return "Not recorded"
    return CASE_TYPES.get(case_type, case_type)


def with_case_type_labels(text: str) -> str:
    """Return a stratum name, or a sentence naming strata ("Team A / child_protection has..."),
    with each case type key after " / " read as its label."""
    return _STRATUM_CASE_TYPE.sub(
        lambda match: f" / {CASE_TYPES[match.group(1)]}",
        text,
    )


_STRATUM_CASE_TYPE = re.compile(r" / (" + "|".join(map(re.escape, CASE_TYPES)) + r")\b")


def auditor_label(user: User) -> str:
    """Return how an auditor is named in choices: name, team and role."""
    team = user.team.name if user.team is not None else "no team"
    return f"{user.display_name} ({team}, {Role(user.role).label.lower()})"


def assign_evenly_form(session: Session, form: AssignEvenlyForm | None = None) -> AssignEvenlyForm:
    """Return the assign-evenly form with every possible auditor as a choice; unless it was posted,
    every active user with the auditor role is ticked."""
    users = queries.possible_auditors(session)
    if form is None:
        form = AssignEvenlyForm(formdata=None)
        form.auditors.data = [str(u.id) for u in users if u.role == Role.AUDITOR.value]
    form.auditors.choices = [SelectChoice(str(u.id), auditor_label(u)) for u in users]
    return form


def round_page_context(
    session: Session, audit_round: AuditRound, assign_form: AssignEvenlyForm | None = None
) -> dict[str, object]:
    """Return what the round page shows: the preview of a draft round, or the drawn cases of a
    confirmed round with how to assign them."""
    rule = SamplingRule.from_dict(audit_round.rule)
    context: dict[str, object] = {
        "audit_round": audit_round,
        "rule_text": rule.describe(),
        "teams_text": _teams_text(session, rule),
        "status_text": status_label(audit_round.status),
        "confirmed": audit_round.status == RoundStatus.CONFIRMED.value,
    }
    if audit_round.status == RoundStatus.DRAFT.value:
        context["sample"] = preview_round(session, audit_round)
        return context
    drawn = queries.drawn_cases(session, audit_round.id)
    context["drawn"] = drawn
    context["unassigned"] = sum(1 for rc in drawn if rc.audit_id is None)
    context["assign_form"] = assign_evenly_form(session, assign_form)
    context["audit_status"] = lambda status: AuditStatus(status).label
    context["audit_status_tag"] = _audit_status_tag
    return context


def by_hand_rows(
    session: Session, audit_round: AuditRound, posted: dict[str, str]
) -> list[dict[str, object]]:
    """Return a row per unassigned case with the auditors who may take it (none from the case's
    team) as select items, keeping what was posted selected."""
    auditors = queries.possible_auditors(session)
    rows = []
    for round_case in queries.drawn_cases(session, audit_round.id, unassigned_only=True):
        case = round_case.case
        field = f"auditor-{round_case.id}"
        chosen = posted.get(field, "")
        items = [{"value": "", "text": "Not yet", "selected": chosen == ""}]
        items.extend(
            {"value": str(u.id), "text": auditor_label(u), "selected": chosen == str(u.id)}
            for u in auditors
            if u.team_id is None or u.team_id != case.team_id
        )
        rows.append({"field": field, "case": case, "stratum": round_case.stratum, "items": items})
    return rows


def _teams_text(session: Session, rule: SamplingRule) -> str:
    if rule.teams is None:
        return "Every team"
    names = [t.name for t in queries.all_teams(session) if t.id in set(rule.teams)]
    return ", ".join(names) or "None of the current teams"


def _audit_status_tag(status: str) -> dict[str, str]:
    classes = {
        AuditStatus.ASSIGNED.value: "govuk-tag--grey",
        AuditStatus.DRAFT.value: "govuk-tag--blue",
        AuditStatus.RETURNED.value: "govuk-tag--orange",
    }.get(status, "govuk-tag--green")
    return {"text": AuditStatus(status).label, "classes": classes}
