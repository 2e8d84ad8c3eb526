"""Turning responses into what a browser would post, and starting audits for tests."""

from __future__ import annotations

import random
import re
from datetime import date

from flask import Flask
from sqlalchemy import select

from qa_app.audits.forms import field_names
from qa_app.audits.responses import Responses
from qa_app.demo.synthetic import synthetic_responses
from qa_app.extensions import db
from qa_app.models import Audit, Team, TemplateVersion
from qa_app.template_format.definition import TemplateDefinition


def form_post(definition: TemplateDefinition, responses: Responses, override: str = "") -> dict:
    """Return the form fields a browser would send for these responses."""
    data: dict[str, object] = {"override_reason": override}
    for key, response in responses.items():
        names = field_names(key)
        criterion = definition.criterion(key)
        if criterion is not None and criterion.type == "tags":
            data[names["answer"]] = list(response.tags)
        elif criterion is not None and criterion.type == "date" and response.value:
            day = date.fromisoformat(response.value)
            data[names["answer"]] = [str(day.day), str(day.month), str(day.year)]
        else:
            data[names["answer"]] = response.value or ""
        data[names["rationale"]] = response.rationale
    return data


def complete_answers(
    app: Flask, template_key: str, seed: int = 1
) -> tuple[dict, TemplateDefinition]:
    """Return a form post that passes the template's submission rules, and the definition."""
    with app.app_context():
        version = db.session.scalar(
            select(TemplateVersion).where(TemplateVersion.key == template_key)
        )
        definition = version.definition
    responses, override = synthetic_responses(definition, random.Random(seed), quality=0.8)
    return form_post(definition, responses, override), definition


def start_audit_through_the_form(
    client,
    app: Flask,
    template_key: str = "front-door",
    reference: str = "SYN-000001",
    team: str | None = None,
) -> int:
    """Start an audit as the signed-in user of a case in ``team`` (by default the first team
    the start page offers: never the user's own); return its id."""
    with app.app_context():
        version = db.session.scalar(
            select(TemplateVersion).where(TemplateVersion.key == template_key)
        )
        version_id = version.id
        if team is not None and db.session.scalar(select(Team).where(Team.name == team)) is None:
            db.session.add(Team(name=team))
            db.session.commit()
    team_id = offered_team(client, app, team)
    response = client.post(
        "/audits/new",
        data={
            "template_version_id": str(version_id),
            "case_reference": reference,
            "team_id": str(team_id),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").split("/")[-1])


def offered_team(client, app: Flask, name: str | None = None) -> int:
    """Return the id of the named team, or of the first team the start page offers (creating a
    synthetic team when it offers none)."""
    if name is not None:
        with app.app_context():
            return db.session.scalar(select(Team.id).where(Team.name == name))
    page = client.get("/audits/new").get_data(as_text=True)
    select_html = page.split('name="team_id"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="(\d+)"', select_html)
    if offered:
        return int(offered[0])
    with app.app_context():
        team = Team(name="Team B (synthetic)")
        db.session.add(team)
        db.session.commit()
        return team.id


def lock_version(app: Flask, audit_id: int) -> str:
    """Return the audit's current lock version, as the form's hidden field holds it."""
    with app.app_context():
        return str(db.session.get(Audit, audit_id).lock_version)


def page_posts(definition: TemplateDefinition, post: dict) -> dict[str, dict]:
    """Split a whole-audit form post into one post per page (section keys and "overall")."""
    pages: dict[str, dict] = {}
    for section in definition.sections:
        names = {f"judgement__{section.key}", f"rationale__{section.key}__judgement"}
        for criterion in section.criteria:
            names |= {f"answer__{criterion.key}", f"rationale__{criterion.key}"}
        pages[section.key] = {name: value for name, value in post.items() if name in names}
    pages["overall"] = {
        name: post[name]
        for name in ("overall", "overall_rationale", "override_reason")
        if name in post
    }
    return pages


def save_page(
    client, app: Flask, audit_id: int, page: str, data: dict, action: str = "action_save"
):
    """Post one page of the audit as the browser would, with the current lock version."""
    url = (
        f"/audits/{audit_id}/overall"
        if page == "overall"
        else f"/audits/{audit_id}/sections/{page}"
    )
    return client.post(
        url, data={**data, "lock_version": lock_version(app, audit_id), action: "Save"}
    )


def fill_whole_audit(
    client, app: Flask, audit_id: int, definition: TemplateDefinition, post: dict
) -> None:
    """Save every page of the audit with the given answers."""
    for page, data in page_posts(definition, post).items():
        response = save_page(client, app, audit_id, page, data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
