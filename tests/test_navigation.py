"""The menu: which entries each role sees, groups of entries with their own page, and the entry
the current page belongs to highlighted."""

from __future__ import annotations

import re

from qa_app.models import Role
from tests.html_checks import check_page


def menu(html: str) -> list[tuple[str, bool]]:
    """Return the menu's entries as (text, active), in order."""
    nav = html.split('class="govuk-service-navigation__list"')[1].split("</ul>")[0]
    items = re.findall(r'<li class="govuk-service-navigation__item([^"]*)">(.*?)</li>', nav, re.S)
    return [
        (re.sub(r"<[^>]+>", "", body).strip(), "--active" in classes) for classes, body in items
    ]


def active(html: str) -> list[str]:
    return [text for text, is_active in menu(html) if is_active]


def test_an_admin_sees_few_top_items_with_follow_up_and_administration_grouped(
    client, make_user, sign_in
):
    sign_in(make_user(Role.ADMIN))
    html = client.get("/manage/audits").get_data(as_text=True)
    texts = [text for text, _ in menu(html)]
    assert texts[:2] == ["My audits", "All audits"]
    assert "Follow-up" in texts and "Administration" in texts
    assert not {"Audit rounds", "Case lists", "Templates", "Actions"} & set(texts)
    page = client.get("/menu/administration")
    html = page.get_data(as_text=True)
    check_page(html)
    for href, text in (
        ("/admin/rounds", "Audit rounds"),
        ("/admin/cases/", "Case lists"),
        ("/templates", "Templates"),
    ):
        assert f'<a class="govuk-link" href="{href}">{text}</a>' in html
    assert active(html) == ["Administration"]


def test_a_group_with_one_entry_for_the_role_shows_that_entry_itself(client, make_user, sign_in):
    sign_in(make_user(Role.MANAGER, team="Team A (synthetic)"))
    html = client.get("/templates").get_data(as_text=True)
    texts = [text for text, _ in menu(html)]
    assert "Templates" in texts and "Administration" not in texts
    assert active(html) == ["Templates"]
    group_page = client.get("/menu/administration").get_data(as_text=True)
    assert 'href="/templates"' in group_page and 'href="/admin/rounds"' not in group_page


def test_an_auditor_cannot_open_a_group_page_with_nothing_for_them(client, make_user, sign_in):
    sign_in(make_user(Role.AUDITOR))
    assert client.get("/menu/follow-up").status_code == 404
    assert client.get("/menu/no-such-group").status_code == 404


def test_every_admin_area_page_highlights_its_menu_item(client, make_user, sign_in):
    sign_in(make_user(Role.ADMIN))
    for url, expected in (
        ("/admin/cases/", "Administration"),
        ("/admin/cases/import", "Administration"),
        ("/admin/rounds/new", "Administration"),
        ("/concerns", "Follow-up"),
        ("/actions", "Follow-up"),
        ("/audits/", "My audits"),
    ):
        assert active(client.get(url).get_data(as_text=True)) == [expected], url


def test_the_kept_menu_follows_the_role_and_page_of_each_request(app, client, make_user, sign_in):
    admin, auditor = make_user(Role.ADMIN), make_user(Role.AUDITOR)
    sign_in(admin)
    admin_menu = menu(client.get("/manage/audits").get_data(as_text=True))
    assert ("All audits", True) in admin_menu and ("Administration", False) in admin_menu
    assert active(client.get("/menu/administration").get_data(as_text=True)) == ["Administration"]
    client.post("/sign-out")
    sign_in(auditor)
    html = client.get("/audits/").get_data(as_text=True)
    assert [text for text, _ in menu(html)] == ["My audits"]
    assert active(html) == ["My audits"]
    client.post("/sign-out")
    sign_in(admin)
    assert menu(client.get("/manage/audits").get_data(as_text=True)) == admin_menu


def test_unknown_group_pages_add_no_kept_menus(app, client, make_user, sign_in):
    sign_in(make_user(Role.ADMIN))
    client.get("/menu/administration")
    client.get("/menu/no-such-group")
    kept = len(app.extensions["service_navigation"])
    for number in range(20):
        assert client.get(f"/menu/no-such-group-{number}").status_code == 404
    assert len(app.extensions["service_navigation"]) == kept
