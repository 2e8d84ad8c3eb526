"""templates check against the earlier versions: replaces must name an earlier question (stored,
or in a file given with --against), and a loaded version's file must not change silently."""

from __future__ import annotations

from tests.conftest import SHIPPED_TEMPLATES

SUPERVISION = (SHIPPED_TEMPLATES / "supervision.yaml").read_text(encoding="utf-8")


def renamed(replaced: str, version: int = 2) -> str:
    return SUPERVISION.replace("version: 1", f"version: {version}", 1).replace(
        "      - key: recorded_promptly\n",
        f"      - key: recorded_in_time\n        replaces: {replaced}\n",
        1,
    )


def test_a_misspelt_replaces_is_refused_against_the_loaded_version(
    runner, templates_loaded, tmp_path
):
    path = tmp_path / "supervision.yaml"
    path.write_text(renamed("recorded_promply"), encoding="utf-8")
    result = runner.invoke(args=["templates", "check", str(path)])
    assert result.exit_code == 1
    line = renamed("recorded_promply").splitlines().index("        replaces: recorded_promply")
    assert f"{path}:{line + 1}:19: " in result.output
    assert 'did you mean "recorded_promptly"?' in result.output

    path.write_text(renamed("recorded_promptly"), encoding="utf-8")
    result = runner.invoke(args=["templates", "check", str(path)])
    assert result.exit_code == 0, result.output


def test_replaces_is_checked_against_an_earlier_file_given_with_against(runner, tmp_path):
    # Nothing is loaded: only the --against file says which keys existed.
    earlier = tmp_path / "supervision-v1.yaml"
    earlier.write_text(SUPERVISION, encoding="utf-8")
    path = tmp_path / "supervision.yaml"
    path.write_text(renamed("recorded_promply"), encoding="utf-8")
    refused = runner.invoke(args=["templates", "check", str(path), "--against", str(earlier)])
    assert refused.exit_code == 1
    assert 'did you mean "recorded_promptly"?' in refused.output
    path.write_text(renamed("recorded_promptly"), encoding="utf-8")
    passed = runner.invoke(args=["templates", "check", str(path), "--against", str(earlier)])
    assert passed.exit_code == 0, passed.output


def test_check_reports_a_loaded_version_changed_without_a_new_number(
    runner, templates_loaded, tmp_path
):
    path = tmp_path / "supervision.yaml"
    path.write_text(SUPERVISION.replace("Supervision audit", "Supervision audit (new)"), "utf-8")
    result = runner.invoke(args=["templates", "check", str(path)])
    assert result.exit_code == 1
    assert "supervision version 1 is already loaded and this file has changed since" in (
        result.output
    )
    assert "Raise its version to 2" in result.output
