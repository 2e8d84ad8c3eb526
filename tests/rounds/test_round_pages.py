"""Creating a round, previewing, drawing again and confirming, through the admin pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import AuditEvent, AuditRound, Role, RoundCase
from tests.html_checks import check_page
from tests.rounds.helpers import (
    TEAM_A,
    TEAM_B,
    create_round_through_the_form,
    get_round,
    round_form,
    team_id,
)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _events(app, action: str) -> list[dict]:
    with app.app_context():
        return [
            e.details
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def _preview_references(html: str) -> list[str]:
    table = html.split('id="sample-table"')[1].split("</table>")[0]
    return re.findall(r"SYN-\d{6}", table)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MANAGER])
def test_only_admins_reach_the_round_pages(client, make_user, sign_in, role):
    sign_in(make_user(role))
    for url in ("/admin/rounds", "/admin/rounds/new", "/admin/rounds/1"):
        response = client.get(url)
        assert response.status_code == 403, url
        check_page(response.get_data(as_text=True))
    assert client.post("/admin/rounds/1/confirm").status_code == 403


def test_the_round_list_is_in_the_admin_navigation(client, admin):
    response = client.get("/admin/rounds")
    html = response.get_data(as_text=True)
    check_page(html)
    assert response.status_code == 200
    assert "There are no audit rounds yet." in html
    menu = client.get("/menu/administration").get_data(as_text=True)
    assert 'href="/admin/rounds">Audit rounds</a>' in menu
    assert "Create a round" in html


def test_the_create_form_offers_the_latest_templates_and_ticks_every_team(
    client, app, admin, version_id, add_cases
):
    add_cases(TEAM_A, 1)
    add_cases(TEAM_B, 1)
    response = client.get("/admin/rounds/new")
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Front door audit (version 1)" in html
    assert html.count('name="teams"') == 2
    assert len(re.findall(r'name="teams"[^>]*checked', html)) == 2
    assert (
        "Leave blank for a new random draw; enter a previous seed to draw the same sample again"
        in html
    )
    assert re.search(r'name="exclude_closed"[^>]*checked', html)
    assert re.search(r'name="exclude_months"[^>]*value="12"', html)


def test_mistakes_are_listed_and_what_was_typed_is_kept(client, app, admin, version_id, add_cases):
    add_cases(TEAM_A, 3)
    data = round_form(
        app,
        version_id,
        name="June round (synthetic)",
        period_start=["1", "6", "2026"],
        period_end=["31", "5", "2026"],
        due_date=["30", "2", "2026"],
        mode="percent",
        percent="ten",
        exclude_months="twelve",
        seed="abc",
    )
    response = client.post("/admin/rounds/new", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.has_error_summary
    assert "Period end must be the same as or after the period start" in html
    assert "Due date must be a real date" in html
    assert "Percentage must be a number, like 10" in html
    assert "Months must be a whole number, like 12" in html
    assert "Seed must be a whole number from 0 to 2,147,483,647" in html
    assert 'href="#period_end-day"' in html and 'href="#percent"' in html
    assert 'value="June round (synthetic)"' in html
    assert 'value="ten"' in html and 'value="twelve"' in html and 'value="abc"' in html
    assert re.search(r'id="due_date-day"[^>]*value="30"', html)
    assert _count(app, AuditRound) == 0


def test_missing_answers_each_get_a_message_in_page_order(
    client, app, admin, version_id, add_cases
):
    add_cases(TEAM_A, 1)
    response = client.post(
        "/admin/rounds/new",
        data={"name": "", "period_start": ["", "", ""], "exclude_months": "12", "teams": []},
    )
    html = response.get_data(as_text=True)
    check_page(html)
    summary = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert re.findall(r'href="#([\w-]+)"', summary) == [
        "name",
        "template_version_id",
        "period_start-day",
        "period_end-day",
        "due_date-day",
        "mode",
        "teams",
    ]
    assert "Enter a name for the round" in html
    assert "Select how many cases to draw from each team" in html
    assert "Select at least one team" in html


def test_a_number_is_needed_for_the_chosen_way_of_sampling(client, app, admin, version_id):
    response = client.post("/admin/rounds/new", data=round_form(app, version_id, cases_per_team=""))
    assert response.status_code == 400
    assert "Enter the number of cases per team" in response.get_data(as_text=True)


def test_creating_a_round_stores_the_rule_and_seed_and_shows_the_preview(
    client, app, admin, version_id, add_cases
):
    add_cases(TEAM_A, 5, case_type="CIN")
    add_cases(TEAM_B, 4, case_type="CP")
    round_id = create_round_through_the_form(client, app, version_id)
    stored = get_round(app, round_id)
    assert stored["status"] == "draft" and stored["seed"] == 1234
    assert stored["rule"]["mode"] == "per_team" and stored["rule"]["cases_per_team"] == 2
    assert stored["rule"]["teams"] is None  # every team ticked: every team
    assert _count(app, RoundCase) == 0

    response = client.get(f"/admin/rounds/{round_id}")
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Round created with seed 1234" in html
    assert len(_preview_references(html)) == 4
    assert "Confirm this sample" in html and "Draw again with a new seed" in html
    assert (
        "2 cases per team, leaving out cases audited in the last 12 months and closed cases" in html
    )
    [event] = _events(app, "round_created")
    assert event["round_id"] == round_id and event["seed"] == 1234 and event["seed_given"] is True
    # Looking again draws the same sample: the preview is repeatable.
    assert _preview_references(client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)) == (
        _preview_references(html)
    )


def test_a_blank_seed_gets_a_random_one_recorded(client, app, admin, version_id, add_cases):
    add_cases(TEAM_A, 3)
    round_id = create_round_through_the_form(client, app, version_id, seed="")
    seed = get_round(app, round_id)["seed"]
    assert 0 < seed < 2**31
    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    assert f"Round created with seed {seed}." in html
    assert re.search(rf"Seed\s*</dt>\s*<dd[^>]*>\s*{seed}\s*</dd>", html)
    assert _events(app, "round_created")[0]["seed_given"] is False


def test_choosing_some_teams_samples_only_those(client, app, admin, version_id, add_cases):
    add_cases(TEAM_A, 3)
    add_cases(TEAM_B, 3)
    chosen = str(team_id(app, TEAM_B))
    round_id = create_round_through_the_form(client, app, version_id, teams=[chosen])
    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    assert get_round(app, round_id)["rule"]["teams"] == [int(chosen)]
    table = html.split('id="sample-table"')[1]
    assert TEAM_B in table and TEAM_A not in table.split("</table>")[0]


def test_shortfalls_and_left_out_cases_are_shown(
    client, app, admin, version_id, add_cases, add_audit, make_user
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    add_cases(TEAM_A, 4)
    [recent, old, _fresh] = add_cases(TEAM_B, 3)
    add_cases(TEAM_B, 2, closed_on=date(2026, 1, 31))
    now = datetime.now(UTC)
    add_audit(recent, auditor.id, now)
    add_audit(old, auditor.id, now.replace(year=now.year - 2))
    round_id = create_round_through_the_form(client, app, version_id, cases_per_team="3")
    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    check_page(html)
    assert "govuk-warning-text" in html
    assert f"{TEAM_B} has 2 eligible cases; 3 were asked for" in html
    assert "2 closed cases left out" in html
    assert "1 case left out as audited recently" in html
    references = _preview_references(html)
    assert len(references) == 5
    with app.app_context():
        from qa_app.models import Case

        recent_reference = db.session.get(Case, recent).reference
    assert recent_reference not in references


def test_drawing_again_changes_the_seed_and_is_logged(client, app, admin, version_id, add_cases):
    add_cases(TEAM_A, 30)
    round_id = create_round_through_the_form(client, app, version_id, cases_per_team="3")
    before = _preview_references(client.get(f"/admin/rounds/{round_id}").get_data(as_text=True))
    response = client.post(f"/admin/rounds/{round_id}/redraw")
    assert response.status_code == 302
    new_seed = get_round(app, round_id)["seed"]
    assert new_seed != 1234
    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    assert f"Sample drawn again with the new seed {new_seed}" in html
    assert len(_preview_references(html)) == 3
    [event] = _events(app, "round_redrawn")
    assert (event["old_seed"], event["new_seed"]) == (1234, new_seed)
    assert before  # the earlier preview existed; the new one may overlap it by chance


def test_confirming_stores_the_previewed_sample_and_fixes_it(
    client, app, admin, version_id, add_cases
):
    add_cases(TEAM_A, 10, case_type="CIN")
    add_cases(TEAM_B, 10, case_type="CP")
    round_id = create_round_through_the_form(client, app, version_id, cases_per_team="3")
    previewed = _preview_references(client.get(f"/admin/rounds/{round_id}").get_data(as_text=True))

    response = client.post(f"/admin/rounds/{round_id}/confirm", data={"seed": "1234"})
    assert response.status_code == 302
    assert get_round(app, round_id)["status"] == "confirmed"
    with app.app_context():
        stored = db.session.scalars(select(RoundCase).where(RoundCase.round_id == round_id)).all()
        assert sorted(rc.case.reference for rc in stored) == sorted(previewed)
        assert {rc.stratum for rc in stored} == {TEAM_A, TEAM_B}
    [event] = _events(app, "round_confirmed")
    assert event["drawn"] == 6 and event["seed"] == 1234

    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    check_page(html)
    assert "Sample confirmed: 6 cases drawn." in html
    assert "Spread evenly across auditors" in html and "Choose by hand" in html

    # Once confirmed the sample is fixed: no redraw, no second confirmation.
    refused = client.post(f"/admin/rounds/{round_id}/redraw")
    assert refused.status_code == 409
    check_page(refused.get_data(as_text=True))
    assert "The sample is confirmed: it cannot be drawn again" in refused.get_data(as_text=True)
    assert get_round(app, round_id)["seed"] == 1234
    assert (
        client.post(f"/admin/rounds/{round_id}/confirm", data={"seed": "1234"}).status_code == 409
    )
    assert _count(app, RoundCase) == 6


def test_confirming_a_sample_drawn_again_since_it_was_viewed_is_refused(
    client, app, admin, version_id, add_cases
):
    add_cases(TEAM_A, 10)
    round_id = create_round_through_the_form(client, app, version_id)
    client.get(f"/admin/rounds/{round_id}")
    client.post(f"/admin/rounds/{round_id}/redraw", follow_redirects=True)
    response = client.post(f"/admin/rounds/{round_id}/confirm", data={"seed": "1234"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert check_page(html).has_error_summary
    assert "The sample was drawn again since you looked at it" in html
    assert get_round(app, round_id)["status"] == "draft"
    assert _count(app, RoundCase) == 0


def test_a_rule_leaving_no_eligible_case_cannot_be_confirmed(client, app, admin, version_id):
    round_id = create_round_through_the_form(client, app, version_id)
    response = client.post(f"/admin/rounds/{round_id}/confirm")
    assert response.status_code == 409
    assert "There are no eligible cases to confirm" in response.get_data(as_text=True)


def test_an_unknown_round_is_not_found(client, admin):
    assert client.get("/admin/rounds/999").status_code == 404


def test_each_number_is_revealed_under_the_radio_that_needs_it(client, admin, version_id):
    html = client.get("/admin/rounds/new").get_data(as_text=True)
    check_page(html)
    reveals = re.findall(
        r'<div class="govuk-radios__conditional[^"]*" id="([^"]+)">(.*?)</div>\s*</div>',
        html,
        re.S,
    )
    assert [('name="cases_per_team"' in body, 'name="percent"' in body) for _, body in reveals] == [
        (True, False),
        (False, True),
    ]
    for conditional_id, _ in reveals:
        assert f'data-aria-controls="{conditional_id}"' in html
    assert "data-app-reveal" in html  # revealed by the app's script, without aria-expanded


def test_round_pages_show_case_type_labels_and_statuses_as_tags(
    client, app, admin, version_id, add_cases
):
    add_cases(TEAM_A, 4, case_type="child_protection")
    round_id = create_round_through_the_form(client, app, version_id, stratify="y")
    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    check_page(html)
    assert "child_protection" not in html
    assert f"{TEAM_A} / Child protection" in html
    assert re.search(r'<strong class="govuk-tag govuk-tag--grey">\s*Draft', html)
    client.post(f"/admin/rounds/{round_id}/confirm", data={"seed": "1234"})
    listing = client.get("/admin/rounds").get_data(as_text=True)
    assert re.search(r'<strong class="govuk-tag govuk-tag--green">\s*Confirmed', listing)
    html = client.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    assert "child_protection" not in html and ">Child protection<" in html
