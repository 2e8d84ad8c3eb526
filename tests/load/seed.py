"""Set up a database for the load test: migrations, templates, and synthetic auditors each
with one audit of another team's case. Prints what the simulated auditors need as JSON.

Run as ``python -m tests.load.seed N`` with ``DATABASE_URL`` set. All data is synthetic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from flask_migrate import upgrade

from qa_app import create_app
from qa_app.audits.operations import find_or_create_case, start_audit
from qa_app.extensions import db
from qa_app.models import Role, Team, TemplateVersion, User
from qa_app.people.operations import create_user
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "front-door"
# Synthetic accounts for the load test only; the password is long and not a common one.
PASSWORD = "load test auditor passphrase"


def seed(count: int) -> dict:
    """Create ``count`` auditors and their audits; return the accounts and form fields."""
    app = create_app()
    with app.app_context():
        upgrade()
        plan = plan_template_load(db.session, template_files(ROOT / "audit_templates"))
        apply_template_load(db.session, plan)
        db.session.commit()
        version = db.session.scalars(
            db.select(TemplateVersion)
            .where(TemplateVersion.key == TEMPLATE)
            .order_by(TemplateVersion.version.desc())
        ).first()
        definition = version.definition
        section = definition.sections[0]
        keys = [c.key for c in section.criteria[:2]]
        held_by = db.session.scalar(db.select(Team).where(Team.name == "Load team B (synthetic)"))
        if held_by is None:
            held_by = Team(name="Load team B (synthetic)")
            db.session.add(held_by)
        auditors = []
        for number in range(count):
            email = f"load-auditor-{number}@example.org"
            user = db.session.scalar(db.select(User).where(User.email == email))
            if user is None:
                user = create_user(
                    db.session,
                    email,
                    f"Load auditor {number} (synthetic)",
                    Role.AUDITOR,
                    PASSWORD,
                    "Load team A (synthetic)",
                )
            case = find_or_create_case(db.session, f"SYN-LOAD-{number:04d}", held_by)
            db.session.flush()
            audit = start_audit(db.session, version, case, user)
            auditors.append({"email": email, "audit_id": audit.id})
        db.session.commit()
    return {
        "password": PASSWORD,
        "section": section.key,
        "rationales": [f"rationale__{key}" for key in keys],
        "criteria": keys,
        "auditors": auditors,
    }


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]))))
