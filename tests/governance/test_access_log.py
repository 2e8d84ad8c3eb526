"""The access log: every view of case-level data is recorded, and admins and QA leads read it."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.governance.access_log import record_export, recorded_view_args
from qa_app.models import AccessRecord, Audit, Role
from tests.governance.html_tables import page_text, table_rows
from tests.html_checks import check_page


def _records(app) -> list[AccessRecord]:
    with app.app_context():
        rows = list(db.session.scalars(select(AccessRecord).order_by(AccessRecord.id)))
        db.session.expunge_all()
        return rows


# Pages that answer only while the audit is in a moderation state.
MODERATION_STATE_PAGES = {
    "moderation.moderate",
    "moderation.assign",
    "moderation.outcome",
}


def _case_level_urls(app, ids: dict[str, int]) -> list[tuple[str, str]]:
    """Every GET page whose URL names an audit, a case or a concern, with real ids filled in."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or not set(rule.arguments) & set(recorded_view_args()):
                continue
            arguments = {name: ids.get(name, 1) for name in rule.arguments}
            if "section_key" in rule.arguments:
                arguments["section_key"] = "front_door"
            if "page" in rule.arguments:
                continue  # the background save is POST only
            if rule.endpoint in MODERATION_STATE_PAGES:
                continue  # need the audit in moderation: tests/moderation checks their records
            urls.append((rule.endpoint, url_for(rule.endpoint, **arguments)))
    return urls


def test_every_page_showing_case_level_data_records_a_view(
    app, people, client_for, audit_with_follow_up
):
    """Walks the URL map: every page naming an audit, case or concern that answers 200 adds
    exactly one access record naming the right case."""
    ids = audit_with_follow_up
    with app.app_context():
        from qa_app.models import TemplateVersion

        audit = db.session.get(Audit, ids["audit_id"])
        definition = db.session.get(TemplateVersion, audit.template_version_id).definition
        ids_section = definition.sections[0].key
    viewers = {"auditor": client_for(people.auditor), "admin": client_for(people.admin)}
    answered = []
    for endpoint, url in _case_level_urls(app, ids):
        url = url.replace("/front_door", f"/{ids_section}")
        before = len(_records(app))
        response = None
        for client in viewers.values():
            response = client.get(url)
            if response.status_code == 200:
                break
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        after = _records(app)
        assert len(after) == before + 1, f"{endpoint} recorded {len(after) - before} views"
        assert after[-1].case_id == ids["case_id"], endpoint
        assert after[-1].page == endpoint
        answered.append(endpoint)
    assert {"audits.view", "manage.audit_detail", "governance.case_audits"} <= set(answered)
    assert "follow_up.acknowledge_concern" in answered


def test_refused_and_missing_pages_record_nothing(app, people, client_for, audit_with_follow_up):
    other_team_manager = client_for(people.manager_b)
    assert (
        other_team_manager.get(f"/manage/audits/{audit_with_follow_up['audit_id']}").status_code
        == 404
    )
    assert client_for(people.admin).get("/manage/audits/999999").status_code == 404
    assert _records(app) == []


def test_a_case_level_export_records_each_audit_it_holds(app, people, make_audit):
    first = make_audit(people.auditor, "SYN-300001")
    second = make_audit(people.auditor, "SYN-300002")
    make_audit(people.auditor, "SYN-300003")
    with app.app_context():
        record_export(
            db.session,
            people.admin.id,
            "exports.case_level",
            select(Audit.id).where(Audit.id.in_([first, second])),
        )
        db.session.commit()
    records = _records(app)
    assert sorted(r.audit_id for r in records) == [first, second]
    assert {r.kind for r in records} == {"export"}


def test_admins_see_who_viewed_a_case_and_what_a_person_viewed(app, people, client_for, make_audit):
    seen = make_audit(people.auditor, "SYN-400001")
    unseen = make_audit(people.auditor, "SYN-400002")
    client_for(people.manager_a).get(f"/manage/audits/{seen}")
    client_for(people.head_of_service).get(f"/manage/audits/{unseen}")
    admin = client_for(people.admin)

    by_case = admin.get("/admin/access-log?case_reference=syn-400001")
    html = by_case.get_data(as_text=True)
    check_page(html)
    table = table_rows(html, "access-log")
    assert [row["Case"] for row in table] == ["SYN-400001"]
    assert table[0]["Page"] == "Audit detail"

    by_person = admin.get(f"/admin/access-log?user={people.head_of_service.id}")
    table = table_rows(by_person.get_data(as_text=True), "access-log")
    assert [row["Case"] for row in table] == ["SYN-400002"]


def test_a_date_that_is_not_a_date_is_explained_and_kept(app, people, client_for):
    response = client_for(people.admin).get("/admin/access-log?date_from=31/02/2026")
    page = check_page(response.get_data(as_text=True))
    assert page.title.startswith("Error: Access log")
    assert "From must be a real date" in page_text(response.get_data(as_text=True))
    assert 'value="31/02/2026"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MANAGER, Role.LEADER])
def test_only_admins_and_qa_leads_read_the_access_log(app, make_user, client_for, role):
    assert client_for(make_user(role)).get("/admin/access-log").status_code == 403
    assert client_for(make_user(Role.QA_LEAD)).get("/admin/access-log").status_code == 200


def test_viewing_a_page_costs_one_statement_in_the_access_log(
    app, people, client_for, make_audit, count_queries
):
    audit_id = make_audit(people.auditor, "SYN-500001")
    admin = client_for(people.admin)
    with count_queries() as counter:
        admin.get(f"/manage/audits/{audit_id}")
    inserts = [
        s for s in counter.statements if s.lstrip().upper().startswith("INSERT INTO ACCESS_RECORDS")
    ]
    assert len(inserts) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(AccessRecord.id))) == 1
