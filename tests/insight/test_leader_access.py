"""A leader reads dashboards only: no case-level page, no case reference, no written text."""

from __future__ import annotations

from flask import url_for

from qa_app.models import Role

LEADER_ENDPOINTS = {
    "insight.dashboard",
    "insight.finding",
    "insight.api_panel",
    "insight.api_finding",
    # The leadership pack, de-identified only: the case-level tier is refused to leaders.
    "reports.pack",
}
OPEN_ENDPOINTS = {
    "static",
    "auth.sign_in",
    "auth.sign_out",
    "pages.health",
    "pages.home",
    "pages.favicon",
    "governance.account",  # their own account: name, password; nothing about cases
}


def test_a_leader_reaches_no_page_but_the_dashboards_across_the_url_map(
    app, client, make_user, sign_in, world
):
    sign_in(make_user(Role.LEADER, team=None))
    with app.test_request_context():
        rules = [
            (rule.endpoint, url_for(rule.endpoint, **{name: 1 for name in rule.arguments}))
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in OPEN_ENDPOINTS
        ]
    reached = []
    for endpoint, url in rules:
        response = client.get(url)
        if endpoint in LEADER_ENDPOINTS:
            continue
        if response.status_code == 200:
            reached.append(url)
        if response.status_code == 302:
            assert "/sign-in" not in response.location
    assert reached == []


def test_what_a_leader_reads_holds_no_case_reference_or_written_text(
    client, make_user, sign_in, world
):
    sign_in(make_user(Role.LEADER, team=None))
    pages = [
        "/insight",
        "/insight?period=custom&from-month=1&from-year=2026&to-month=12&to-year=2026",
        "/insight/findings/strategy-timescales",
        *[
            f"/api/insight/{panel}"
            for panel in (
                "grade-profile",
                "trend",
                "teams",
                "heat-map",
                "findings",
                "follow-up",
                "programme",
                "moderation",
            )
        ],
        "/api/insight/findings/strategy-timescales",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert "SYN-INS-" not in body, url
        assert "Synthetic test text" not in body, url
