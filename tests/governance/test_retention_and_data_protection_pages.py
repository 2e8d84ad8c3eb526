"""The retention page (settings read only, what is due, past runs) and the data protection page."""

from __future__ import annotations

from qa_app.extensions import db
from qa_app.governance.retention import run_purge
from qa_app.governance.retention_policy import RetentionSettings
from qa_app.models import Role
from tests.governance.html_tables import page_text, table_rows
from tests.html_checks import check_page


def test_admins_see_the_retention_settings_what_is_due_and_past_runs(app, people, client_for):
    app.config["RETENTION_CASE_DETAIL_MONTHS"] = 24
    with app.app_context():
        run_purge(db.session, RetentionSettings())
    html = client_for(people.admin).get("/admin/retention").get_data(as_text=True)
    check_page(html)
    text = page_text(html)
    assert "24 months after an audit is closed or submitted" in text
    assert "audits whose written text would be deleted: 0" in text
    runs = table_rows(html, "retention-runs")
    assert len(runs) == 1 and runs[0]["From"] == "command"


def test_a_bad_setting_is_shown_not_hidden(app, people, client_for):
    app.config["RETENTION_HELD_FORM_DAYS"] = 0
    html = client_for(people.admin).get("/admin/retention").get_data(as_text=True)
    assert "RETENTION_HELD_FORM_DAYS must be a whole number of 1 or more" in page_text(html)


def test_the_data_protection_page_answers_the_four_questions(app, people, client_for):
    html = client_for(people.admin).get("/admin/data-protection").get_data(as_text=True)
    page = check_page(html)
    assert page.title.startswith("Data protection")
    text = page_text(html)
    for heading in (
        "Roles and what each can see",
        "Logs: how you know who looked",
        "Retention: how long things are kept",
        "Exports and their tiers",
        "Answering a subject access request",
    ):
        assert heading in text
    assert 'class="govuk-table"' in html


def test_only_admins_see_the_retention_page(app, make_user, client_for):
    assert client_for(make_user(Role.QA_LEAD)).get("/admin/retention").status_code == 403
