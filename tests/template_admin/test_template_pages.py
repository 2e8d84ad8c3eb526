"""The templates pages: every version with its audits, a read-only preview, and the changes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import event, select

from qa_app.extensions import db
from qa_app.models import Role, TemplateVersion
from qa_app.template_admin.queries import template_summaries
from tests.conftest import SHIPPED_TEMPLATES
from tests.html_checks import check_page
from tests.template_admin.conftest import SUPERVISION_V1_QUESTION, SUPERVISION_V2_QUESTION

SHIPPED_KEYS = sorted(path.stem for path in SHIPPED_TEMPLATES.glob("*.yaml"))


def _version_rows(html: str) -> dict[tuple[str, int], str]:
    """Return each row of the versions tables, by (template key, version)."""
    rows = {}
    for key, table in re.findall(r'data-template="([^"]+)">(.*?)</table>', html, re.S):
        for version, row in re.findall(r'data-version="(\d+)">(.*?)</tr>', table, re.S):
            rows[(key, int(version))] = row
    return rows


def _audit_count(row: str) -> int:
    return int(re.search(r"data-audits>(\d+)<", row).group(1))


class _ControlsParser(HTMLParser):
    """Finds the form controls in the main content that are not inside a disabled fieldset."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.fieldsets: list[bool] = []
        self.controls = 0
        self.enabled: list[str] = []
        self.forms = 0
        self.buttons = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "fieldset":
            self.fieldsets.append("disabled" in attributes)
        elif tag == "form":
            self.forms += 1
        elif tag == "button" or attributes.get("type") == "submit":
            self.buttons += 1
        if tag in ("input", "textarea", "select"):
            self.controls += 1
            if not any(self.fieldsets) and "disabled" not in attributes:
                self.enabled.append(attributes.get("name") or tag)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "fieldset" and self.in_main:
            self.fieldsets.pop()


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_every_version_with_how_many_audits_use_it(
    client, supervision_v2, start_audits, qa_lead
):
    start_audits("supervision", 1, 2)
    start_audits("supervision", 2, 1)
    start_audits("lado", 1, 3)
    response = client.get("/templates")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    rows = _version_rows(html)
    assert set(rows) == {(key, 1) for key in SHIPPED_KEYS} | {("supervision", 2)}
    assert _audit_count(rows[("supervision", 1)]) == 2
    assert _audit_count(rows[("supervision", 2)]) == 1
    assert _audit_count(rows[("lado", 1)]) == 3
    assert _audit_count(rows[("front-door", 1)]) == 0
    assert "supervision.yaml" in rows[("supervision", 2)]
    assert "Latest" in rows[("supervision", 2)] and "Latest" not in rows[("supervision", 1)]
    for key, version in rows:
        assert f'href="/templates/{key}/versions/{version}"' in html
    # Only a template with two or more versions can be compared.
    assert 'href="/templates/supervision/compare"' in html
    assert 'href="/templates/lado/compare"' not in html


def test_the_list_counts_audits_in_one_query_however_many_there_are(
    app, supervision_v2, start_audits
):
    start_audits("supervision", 1, 3)
    start_audits("cin-cp", 1, 2)
    statements: list[str] = []
    with app.app_context():
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            summaries = template_summaries(db.session)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == 1
    assert "count" in statements[0].lower() and "group by" in statements[0].lower()
    counts = {(s.key, v.version): v.audits for s in summaries for v in s.versions}
    assert counts[("supervision", 1)] == 3
    assert counts[("supervision", 2)] == 0
    assert counts[("cin-cp", 1)] == 2


def test_the_list_says_when_no_templates_are_loaded(client, qa_lead):
    html = client.get("/templates").get_data(as_text=True)
    check_page(html)
    assert "No templates have been loaded yet." in html


# --- the preview ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_the_preview_shows_every_question_with_the_audit_widgets_all_disabled(
    client, app, templates_loaded, qa_lead, key
):
    response = client.get(f"/templates/{key}/versions/1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    with app.app_context():
        definition = db.session.scalar(
            select(TemplateVersion).where(TemplateVersion.key == key)
        ).definition
    for criterion in definition.criteria():
        assert escape(criterion.question) in html, criterion.key
        assert f'name="answer__{criterion.key}"' in html, criterion.key
        assert f'id="question-{criterion.key}"' in html
    for section in definition.sections:
        assert escape(section.title) in html
        if section.judgement is not None:
            assert f'name="judgement__{section.key}"' in html
    assert escape(definition.overall.question) in html and 'name="overall"' in html
    controls = _ControlsParser()
    controls.feed(html)
    assert controls.controls > len(definition.criteria())
    assert controls.enabled == [], "every input is read only"
    assert (controls.forms, controls.buttons) == (0, 0), "nothing can be submitted"
    # Questions that depend on earlier answers are all shown (their condition is in words).
    assert "data-show-if" not in html


def test_the_preview_lists_each_questions_settings_in_words(client, app, templates_loaded, qa_lead):
    html = client.get("/templates/front-door/versions/1").get_data(as_text=True)
    with app.app_context():
        definition = db.session.scalar(
            select(TemplateVersion).where(TemplateVersion.key == "front-door")
        ).definition
    conditional = next(c for c in definition.criteria() if c.show_if is not None)
    earlier = definition.criterion(conditional.show_if.conditions[0].criterion)
    assert f"Only when the answer to “{escape(earlier.question)}” ({earlier.key})" in html
    assert "Good: scores 0.667" in html
    assert "Requires improvement to be good: scores 0.333, needs a rationale" in html
    assert "As the scale says: “Requires improvement to be good”, “Inadequate”" in html
    weighted = next(c for c in definition.criteria() if c.weight == 3)
    question = html.split(f'id="question-{weighted.key}"')[1]
    settings = question.split("Settings for")[1].split("</details>")[0]
    assert re.search(r"Weight</dt>\s*<dd[^>]*>\s*<p[^>]*>3</p>", settings)
    assert "Limited by" in html


def test_an_older_version_can_be_previewed_and_links_to_the_latest(client, supervision_v2, qa_lead):
    html = client.get("/templates/supervision/versions/1").get_data(as_text=True)
    check_page(html)
    assert escape(SUPERVISION_V1_QUESTION) in html
    assert escape(SUPERVISION_V2_QUESTION) not in html
    assert 'href="/templates/supervision/versions/2"' in html
    latest = client.get("/templates/supervision/versions/2").get_data(as_text=True)
    assert escape(SUPERVISION_V2_QUESTION) in latest
    assert 'href="/templates/supervision/compare?to=2&amp;from=1"' in latest


@pytest.mark.parametrize(
    "url", ["/templates/lado/versions/2", "/templates/no-such/versions/1", "/templates/x/compare"]
)
def test_an_unknown_template_or_version_is_not_found(client, templates_loaded, qa_lead, url):
    response = client.get(url)
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))


# --- comparing -----------------------------------------------------------------------------


def test_compare_shows_a_reworded_question_from_the_previous_to_the_latest_version(
    client, supervision_v2, qa_lead
):
    response = client.get("/templates/supervision/compare")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    assert "1 change from version 1 to version 2" in html
    reworded = html.split('id="changes-reworded"')[1].split("</table>")[0]
    assert "govuk-tag" in reworded and "Reworded" in reworded
    assert (
        f"Question of criterion &#34;frequency&#34; changed from &#34;{SUPERVISION_V1_QUESTION}"
        f"&#34; to &#34;{SUPERVISION_V2_QUESTION}&#34;"
    ) in reworded
    assert re.search(r'<option value="1" selected>Version 1</option>', html)
    assert re.search(r'<option value="2" selected>Version 2 \(latest\)</option>', html)
    assert '<form method="get"' in html


def test_compare_takes_the_versions_chosen_in_the_form(client, supervision_v2, qa_lead):
    html = client.get("/templates/supervision/compare?from=2&to=1").get_data(as_text=True)
    check_page(html)
    assert "1 change from version 2 to version 1" in html
    assert f"changed from &#34;{SUPERVISION_V2_QUESTION}&#34;" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=9", "from", "Select a version of this template to compare from"),
        ("to=two", "to", "Select a version of this template to compare with"),
        ("from=2&to=2", "to", "Select a different version to compare with"),
    ],
)
def test_compare_with_a_bad_version_says_what_to_choose(
    client, supervision_v2, qa_lead, query, field, message
):
    response = client.get(f"/templates/supervision/compare?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.has_error_summary
    assert f'<a href="#{field}">{message}</a>' in html
    assert "changes-summary" not in html


def test_compare_with_only_one_version_says_there_is_nothing_to_compare(
    client, templates_loaded, qa_lead
):
    response = client.get("/templates/lado/compare")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Only version 1 has been loaded, so there is nothing to compare yet." in html


# --- who may see them ----------------------------------------------------------------------

PAGES = ["/templates", "/templates/lado/versions/1", "/templates/lado/compare"]


@pytest.mark.parametrize("url", PAGES)
def test_auditors_cannot_see_the_templates_pages(client, templates_loaded, make_user, sign_in, url):
    sign_in(make_user(Role.AUDITOR))
    response = client.get(url)
    assert response.status_code == 403
    check_page(response.get_data(as_text=True))


@pytest.mark.parametrize("url", PAGES)
def test_admins_can_see_the_templates_pages(client, templates_loaded, make_user, sign_in, url):
    sign_in(make_user(Role.ADMIN))
    response = client.get(url)
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
