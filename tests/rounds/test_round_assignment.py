"""Assigning a confirmed round's cases: evenly or by hand, never to the case's own team."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, AuditStatus, Case, Role, RoundCase, User
from tests.html_checks import check_page
from tests.rounds.helpers import TEAM_A, TEAM_B, create_round_through_the_form


def _audits(app, round_id: int) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(
            select(Audit, Case.team_id, User.team_id)
            .join(Case, Case.id == Audit.case_id)
            .join(User, User.id == Audit.auditor_id)
            .where(Audit.round_id == round_id)
        ).all()
        return [
            {
                "id": audit.id,
                "status": audit.status,
                "due_date": audit.due_date,
                "auditor_id": audit.auditor_id,
                "case_team": case_team,
                "auditor_team": auditor_team,
                "template_version_id": audit.template_version_id,
            }
            for audit, case_team, auditor_team in rows
        ]


def _round_cases(app, round_id: int) -> dict[int, dict]:
    with app.app_context():
        return {
            rc.id: {"audit_id": rc.audit_id, "team_id": rc.case.team_id, "case_id": rc.case_id}
            for rc in db.session.scalars(select(RoundCase).where(RoundCase.round_id == round_id))
        }


def test_spreading_evenly_creates_assigned_audits_due_on_the_rounds_date(
    client, app, confirmed_round, make_user, version_id
):
    auditors = [make_user(Role.AUDITOR, team=team) for team in (TEAM_A, TEAM_A, TEAM_B)]
    response = client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly",
        data={"auditors": [str(a.id) for a in auditors]},
    )
    assert response.status_code == 302
    audits = _audits(app, confirmed_round)
    assert len(audits) == 6
    assert {a["status"] for a in audits} == {AuditStatus.ASSIGNED.value}
    assert {a["due_date"] for a in audits} == {date(2026, 6, 15)}
    assert {a["template_version_id"] for a in audits} == {version_id}
    assert all(a["case_team"] != a["auditor_team"] for a in audits)
    # Team B's three cases go to the two team A auditors; team A's three to the one in team B.
    loads = sorted(sum(1 for a in audits if a["auditor_id"] == u.id) for u in auditors)
    assert loads == [1, 2, 3]
    links = _round_cases(app, confirmed_round)
    assert {rc["audit_id"] for rc in links.values()} == {a["id"] for a in audits}

    html = client.get(f"/admin/rounds/{confirmed_round}").get_data(as_text=True)
    check_page(html)
    assert "6 audits assigned." in html
    assert "15 June 2026" in html and "Not started" in html
    assert "Spread evenly across auditors" not in html  # nothing left to assign

    with app.app_context():
        summary = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "audits_assigned")
        )
        assert summary.details["assigned"] == 6 and summary.details["method"] == "evenly"
        assert sum(item["audits"] for item in summary.details["auditors"]) == 6
        per_audit = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "audit_assigned")
        )
        assert per_audit == 6


def test_the_round_list_counts_drawn_assigned_and_submitted_cases(
    client, app, confirmed_round, make_user
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(auditor.id)]}
    )
    with app.app_context():
        audit = db.session.scalar(select(Audit).where(Audit.round_id == confirmed_round))
        audit.status = AuditStatus.SUBMITTED.value
        db.session.commit()
    html = client.get("/admin/rounds").get_data(as_text=True)
    check_page(html)
    row = html.split('id="round-list"')[1].split("</tbody>")[0]
    assert re.findall(r"numeric\">(\d+)</td>", row) == ["6", "6", "1"]
    assert "Confirmed" in row and "Front door audit (version 1)" in row


def test_assigned_audits_appear_in_the_auditors_own_list(
    client, app, confirmed_round, make_user, sign_in
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly",
        data={"auditors": [str(auditor.id)]},
        follow_redirects=True,
    )
    client.post("/sign-out")
    sign_in(auditor)
    html = client.get("/audits/").get_data(as_text=True)
    check_page(html)
    assert len(set(re.findall(r"SYN-\d{6}", html))) == 6


def test_cases_already_assigned_are_left_alone(client, app, confirmed_round, make_user):
    first = make_user(Role.AUDITOR, team="Team C (synthetic)")
    second = make_user(Role.AUDITOR, team="Team C (synthetic)")
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(first.id)]}
    )
    before = _audits(app, confirmed_round)
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(second.id)]}
    )
    assert _audits(app, confirmed_round) == before


def test_cases_no_chosen_auditor_may_take_stay_unassigned_and_are_named(
    client, app, confirmed_round, make_user
):
    auditor = make_user(Role.AUDITOR, team=TEAM_A)
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(auditor.id)]}
    )
    audits = _audits(app, confirmed_round)
    assert len(audits) == 3 and {a["auditor_team"] for a in audits} == {auditor.team_id}
    html = client.get(f"/admin/rounds/{confirmed_round}").get_data(as_text=True)
    check_page(html)
    assert "3 audits assigned. 3 could not be assigned" in html
    assert f"Every chosen auditor works in {TEAM_A}" in html
    assert "Assign the 3 unassigned cases" in html


def test_assigning_evenly_needs_at_least_one_auditor(client, app, confirmed_round, make_user):
    make_user(Role.AUDITOR, team=TEAM_A)
    response = client.post(f"/admin/rounds/{confirmed_round}/assign-evenly", data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert 'href="#auditors"' in html and "Select at least one auditor" in html
    assert _audits(app, confirmed_round) == []


def test_the_auditor_choice_offers_auditors_and_managers_with_auditors_ticked(
    client, app, confirmed_round, make_user
):
    auditor = make_user(Role.AUDITOR, team=TEAM_A)
    manager = make_user(Role.MANAGER, team=TEAM_B)
    html = client.get(f"/admin/rounds/{confirmed_round}").get_data(as_text=True)
    boxes = dict(
        re.findall(r'<input class="govuk-checkboxes__input"[^>]*value="(\d+)"([^>]*)>', html)
    )
    assert set(boxes) == {str(auditor.id), str(manager.id)}
    assert "checked" in boxes[str(auditor.id)] and "checked" not in boxes[str(manager.id)]


def test_the_by_hand_page_lists_only_auditors_outside_each_cases_team(
    client, app, confirmed_round, make_user
):
    in_a = make_user(Role.AUDITOR, team=TEAM_A)
    in_b = make_user(Role.AUDITOR, team=TEAM_B)
    response = client.get(f"/admin/rounds/{confirmed_round}/assign-by-hand")
    html = response.get_data(as_text=True)
    check_page(html)
    links = _round_cases(app, confirmed_round)
    for rc_id, rc in links.items():
        select_html = html.split(f'id="auditor-{rc_id}"')[1].split("</select>")[0]
        values = set(re.findall(r'value="(\d*)"', select_html))
        outside = {str(in_b.id)} if rc["team_id"] == in_a.team_id else {str(in_a.id)}
        assert values == {""} | outside


def test_choosing_an_auditor_from_the_cases_own_team_is_refused(
    client, app, confirmed_round, make_user
):
    in_a = make_user(Role.AUDITOR, team=TEAM_A)
    in_b = make_user(Role.AUDITOR, team=TEAM_B)
    links = _round_cases(app, confirmed_round)
    own_team = next(rc_id for rc_id, rc in links.items() if rc["team_id"] == in_a.team_id)
    other = next(rc_id for rc_id, rc in links.items() if rc["team_id"] == in_b.team_id)
    response = client.post(
        f"/admin/rounds/{confirmed_round}/assign-by-hand",
        data={f"auditor-{own_team}": str(in_a.id), f"auditor-{other}": str(in_a.id)},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert f"Choose an auditor from outside {TEAM_A} for case SYN-" in html
    assert f'href="#auditor-{own_team}"' in html
    # What was chosen for the other case is kept, and nothing is stored.
    other_select = html.split(f'id="auditor-{other}"')[1].split("</select>")[0]
    assert re.search(rf'value="{in_a.id}" selected', other_select)
    assert _audits(app, confirmed_round) == []


def test_choosing_by_hand_assigns_the_chosen_cases_only(client, app, confirmed_round, make_user):
    in_a = make_user(Role.AUDITOR, team=TEAM_A)
    links = _round_cases(app, confirmed_round)
    team_b_cases = [rc_id for rc_id, rc in links.items() if rc["team_id"] != in_a.team_id]
    response = client.post(
        f"/admin/rounds/{confirmed_round}/assign-by-hand",
        data={f"auditor-{rc_id}": str(in_a.id) for rc_id in team_b_cases[:2]},
    )
    assert response.status_code == 302
    audits = _audits(app, confirmed_round)
    assert len(audits) == 2 and {a["auditor_id"] for a in audits} == {in_a.id}
    assert {a["status"] for a in audits} == {AuditStatus.ASSIGNED.value}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audits_assigned"))
        assert event.details["method"] == "by hand" and event.details["assigned"] == 2


def test_choosing_nobody_by_hand_asks_for_a_choice(client, app, confirmed_round, make_user):
    make_user(Role.AUDITOR, team=TEAM_A)
    response = client.post(f"/admin/rounds/{confirmed_round}/assign-by-hand", data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Choose an auditor for at least one case" in html


def test_a_draft_round_cannot_be_assigned(client, app, admin, version_id, add_cases, make_user):
    add_cases(TEAM_A, 3)
    auditor = make_user(Role.AUDITOR, team=TEAM_B)
    round_id = create_round_through_the_form(client, app, version_id)
    client.get(f"/admin/rounds/{round_id}")
    response = client.post(
        f"/admin/rounds/{round_id}/assign-evenly", data={"auditors": [str(auditor.id)]}
    )
    assert response.status_code == 409
    assert "Confirm the sample before assigning its cases" in response.get_data(as_text=True)
    assert _audits(app, round_id) == []


def test_a_draft_rounds_by_hand_page_leads_back_to_the_round(client, app, admin, version_id):
    round_id = create_round_through_the_form(client, app, version_id)
    response = client.get(f"/admin/rounds/{round_id}/assign-by-hand")
    assert response.status_code == 302
    assert response.location.endswith(f"/admin/rounds/{round_id}")


def test_each_round_case_is_linked_to_the_audit_of_its_own_case_across_link_batches(
    client, app, confirmed_round, make_user, monkeypatch
):
    from qa_app.rounds import bulk_rows

    # 6 cases: three statements where the links go in batches (PostgreSQL links them in one).
    monkeypatch.setattr(bulk_rows, "LINK_BATCH", 2)
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(auditor.id)]}
    )
    with app.app_context():
        audit_case = dict(
            db.session.execute(
                select(Audit.id, Audit.case_id).where(Audit.round_id == confirmed_round)
            ).all()
        )
    round_cases = _round_cases(app, confirmed_round).values()
    assert len(audit_case) == len(round_cases) == 6
    assert all(audit_case[rc["audit_id"]] == rc["case_id"] for rc in round_cases)
