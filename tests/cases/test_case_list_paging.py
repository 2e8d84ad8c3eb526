"""The case list reads every page in the same order, the last ones from the other end."""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from qa_app.extensions import db
from qa_app.models import Case, Role, Team


def test_walking_every_page_gives_each_case_once_in_team_and_reference_order(
    client, app, make_user, sign_in
):
    sign_in(make_user(Role.ADMIN, team="Team B"))
    make_user(Role.AUDITOR, team="Team A")
    with app.app_context():
        teams = {name: id_ for name, id_ in db.session.execute(select(Team.name, Team.id))}
        db.session.execute(
            insert(Case),
            [
                {"reference": f"SYN-{n:04d}", "team_id": teams["Team B" if n % 3 else "Team A"]}
                for n in range(125)
            ],
        )
        db.session.commit()
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/admin/cases/?page={page}").get_data(as_text=True)
        seen += re.findall(r">(SYN-\d{4})<", html)
    expected = sorted(
        (f"SYN-{n:04d}" for n in range(125)),
        key=lambda ref: ("Team A" if int(ref[4:]) % 3 == 0 else "Team B", ref),
    )
    assert seen == expected
