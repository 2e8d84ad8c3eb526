"""What the audit form's tests share: an auditor of Team B, signed in."""

from __future__ import annotations

import pytest

from qa_app.models import Role


@pytest.fixture
def auditor(make_user, sign_in, templates_loaded):
    user = make_user(Role.AUDITOR, team="Team B")
    sign_in(user)
    return user
