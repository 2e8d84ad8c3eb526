"""Loading a new version of a template: what changed is listed, nothing is lost, and a file
changed without a new version number, or a broken file, is refused with the database unchanged."""

from __future__ import annotations

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import TemplateVersion
from qa_app.template_format.definition import TemplateDefinition
from tests.template_versions.synthetic_versions import (
    BROKEN_LINE,
    BROKEN_V3,
    KEY,
    V1_EDITED,
    V1_QUESTIONS,
    V2,
    V2_QUESTIONS,
)


def _stored(app) -> dict[int, TemplateDefinition]:
    with app.app_context():
        versions = db.session.scalars(select(TemplateVersion).where(TemplateVersion.key == KEY))
        return {v.version: v.definition for v in versions}


def test_a_dry_run_lists_the_changes_of_a_new_version_and_stores_nothing(
    app, load, version_1_loaded, database_state
):
    before = database_state()
    result = load(V2, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{KEY} version 2 ({KEY}.yaml): new version; changes from version 1:" in result.output
    assert 'question of criterion "plan_quality" changed' in result.output
    assert 'criterion "visits_recorded" removed' in result.output
    assert 'criterion "supervision_reflective" added' in result.output
    assert 'criterion "child_seen_timescale" replaces "child_seen"' in result.output
    assert "Dry run: 1 version(s) would be stored; nothing was changed." in result.output
    assert database_state() == before
    assert set(_stored(app)) == {1}


def test_loading_a_new_version_keeps_both_and_joins_the_renamed_criterions_trend(
    app, load, version_1_loaded
):
    result = load(V2)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # The changes are listed before the versions are stored.
    assert lines.index('  - criterion "child_seen_timescale" replaces "child_seen"') < lines.index(
        "1 version(s) stored."
    )
    stored = _stored(app)
    assert set(stored) == {1, 2}
    assert {c.key: c.question for c in stored[1].criteria()} == V1_QUESTIONS
    assert {c.key: c.question for c in stored[2].criteria()} == V2_QUESTIONS
    assert stored[2].lineage_key("child_seen_timescale") == "child_seen"
    assert stored[2].lineage_key("supervision_reflective") == "supervision_reflective"


def test_loading_the_same_file_again_changes_nothing(app, load, version_1_loaded, database_state):
    load(V2)
    before = database_state()
    again = load(V2)
    assert again.exit_code == 0, again.output
    assert f"{KEY} version 2 ({KEY}.yaml): unchanged, already loaded" in again.output
    assert database_state() == before


def test_a_changed_file_without_a_new_version_is_refused_with_what_changed(
    load, version_1_loaded, database_state, template_path
):
    before = database_state()
    result = load(V1_EDITED)
    assert result.exit_code == 1
    assert (
        f"{template_path}:1:1: {KEY} version 1 is already loaded and this file has changed "
        "since. Raise its version to 2 to load the changes"
    ) in result.output
    assert (
        'question of criterion "child_seen" changed from "Was the child seen?" '
        'to "Was the child seen alone?"'
    ) in result.output
    assert "Nothing was loaded" in result.output
    assert database_state() == before


def test_a_broken_template_file_is_refused_with_file_line_and_reason(
    load, version_1_loaded, database_state, template_path
):
    load(V2)
    before = database_state()
    result = load(BROKEN_V3)
    assert result.exit_code == 1
    problem = next(
        line for line in result.output.splitlines() if line.startswith(str(template_path))
    )
    path, line, column, reason = _split_problem(problem)
    assert path == str(template_path)
    assert line == BROKEN_LINE
    assert column > 0
    assert 'unknown scale "yes_maybe_no"' in reason
    assert "Nothing was loaded" in result.output
    assert database_state() == before


def _split_problem(text: str) -> tuple[str, int, int, str]:
    """Split ``file:line:column: message`` (the file name may itself hold colons)."""
    head, reason = text.split(": ", 1)
    path, line, column = head.rsplit(":", 2)
    return path, int(line), int(column), reason
