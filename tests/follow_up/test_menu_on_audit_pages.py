"""The menu item an audit's follow-up pages highlight depends on whose audit it is."""

from __future__ import annotations

from tests.test_navigation import active


def test_an_audits_pages_highlight_all_audits_for_a_manager_and_my_audits_for_its_auditor(
    app, people, client_for, draft_audit
):
    manager = client_for(people.manager_a)
    for url in (f"/audits/{draft_audit}/actions", f"/manage/audits/{draft_audit}"):
        assert active(manager.get(url).get_data(as_text=True)) == ["All audits"], url
    auditor = client_for(people.auditor)
    for url in (f"/audits/{draft_audit}/actions", f"/audits/{draft_audit}/concern"):
        assert active(auditor.get(url).get_data(as_text=True)) == ["My audits"], url
