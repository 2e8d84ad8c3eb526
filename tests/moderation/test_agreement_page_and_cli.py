"""The Moderation page and the ``moderation agreement`` command show the same hand-checkable
figures, counted in SQL from the moderated audits."""

from __future__ import annotations

import csv
import io

import pytest

from qa_app.audit_changes import audit_changed
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.models import Audit, Role
from tests.html_checks import check_page

# Auditor's overall judgement against the moderator's, on the Ofsted scale (outstanding, good,
# requires improvement, inadequate = positions 0 to 3):
PAIRS = [
    ("good", "good"),
    ("good", "requires_improvement"),
    ("requires_improvement", "requires_improvement"),
    ("outstanding", "good"),
]
# Exact 2 of 4 = 50%; within one grade 4 of 4 = 100%.
# Linear weights 1 - |i - j| / 3: p_o = (1 + 2/3 + 1 + 2/3) / 4 = 5/6.
# Margins: auditor 1/4, 1/2, 1/4 (positions 0-2); moderator 1/2, 1/2 (positions 1-2).
# p_e = 1/4 (1/2 * 2/3 + 1/2 * 1/3) + 1/2 (1/2 + 1/2 * 2/3) + 1/4 (1/2 * 2/3 + 1/2) = 3/4.
# kappa = (5/6 - 3/4) / (1 - 3/4) = 1/3.


@pytest.fixture
def moderated(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    moderator = make_user(Role.MANAGER)
    ids = [submit_audit(auditor.id, f"SYN-30000{n}", seed=n) for n in range(len(PAIRS))]
    with app.app_context():
        for audit_id, (mine, theirs) in zip(ids, PAIRS, strict=True):
            audit = db.session.get(Audit, audit_id)
            audit.overall_judgement = mine
            audit.moderated_overall_judgement = theirs
            audit.moderator_id = moderator.id
            audit.moderated_at = utcnow()
            audit.status = "moderated"
            audit_changed(db.session, audit_id, "moderated")  # as completing a moderation does
        db.session.commit()
    return moderator


def test_the_moderation_page_shows_exact_within_one_and_kappa(client, sign_in, moderated):
    sign_in(moderated)
    html = client.get("/moderation/agreement").get_data(as_text=True)
    check_page(html)
    overall = html.split('id="overall-agreement"')[1].split("</table>")[0]
    assert ">4<" in overall and "50%" in overall and "100%" in overall
    assert "0.33" in overall
    confusion = html.split('id="confusion-table"')[1].split("</table>")[0]
    assert confusion.count("app-confusion-table__agree") == 4  # the diagonal is marked


def test_the_agreement_command_prints_the_same_figures(app, runner, moderated):
    result = runner.invoke(args=["moderation", "agreement", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    overall = next(r for r in rows if r["figure"].startswith("Overall judgement"))
    assert overall["pairs"] == "4"
    assert overall["exact_%"] == "50.0" and overall["within_one_%"] == "100.0"
    assert overall["kappa_linear"] == "0.333"
    table = runner.invoke(args=["moderation", "agreement"])
    assert "Moderated audits: 4" in table.output


def test_a_manager_sees_only_their_teams_figures(client, make_user, sign_in, moderated):
    sign_in(make_user(Role.MANAGER, team="Team B"))
    html = client.get("/moderation/agreement").get_data(as_text=True)
    assert 'id="no-figures"' in html


def test_the_draw_command_records_its_seed(app, runner, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    for n in range(5):
        submit_audit(auditor.id, f"SYN-40000{n}", seed=n)
    result = runner.invoke(args=["moderation", "draw", "--percent", "40", "--seed", "9"])
    assert result.exit_code == 0, result.output
    assert "seed 9" in result.output and "40% per auditor" in result.output
    bad = runner.invoke(args=["moderation", "draw", "--round", "999"])
    assert bad.exit_code != 0 and "no round 999" in bad.output
