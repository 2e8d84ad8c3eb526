"""Checking template files on disk, as the command line and CI do."""

from __future__ import annotations

from qa_app.template_format.parser import check_template_files


def test_valid_file_has_no_problems(tmp_path, rich_text):
    path = tmp_path / "rich.yaml"
    path.write_text(rich_text, encoding="utf-8")
    assert check_template_files([path]) == []


def test_problems_name_the_file(tmp_path, make_template):
    path = tmp_path / "bad.yaml"
    path.write_text(make_template().replace("scale: yes_no", "scale: nope"), encoding="utf-8")
    problems = check_template_files([path])
    assert [p.path for p in problems] == [str(path)]
    assert str(problems[0]).startswith(f"{path}:")


def test_file_that_is_not_utf8_is_a_problem_at_line_one(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: café\n".encode("latin-1"))
    [problem] = check_template_files([path])
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("the file is not UTF-8 text")


def test_unreadable_file_is_a_problem_at_line_one(tmp_path):
    missing = tmp_path / "missing.yaml"
    [problem] = check_template_files([missing])
    assert problem.path == str(missing)
    assert problem.message.startswith("the file could not be read")


def test_a_directory_is_an_unreadable_file(tmp_path):
    [problem] = check_template_files([tmp_path])
    assert (problem.line, problem.column) == (1, 1)


def test_utf8_byte_order_mark_is_accepted(tmp_path, rich_text):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + rich_text.encode("utf-8"))
    assert check_template_files([path]) == []


def test_problems_from_every_file_are_returned(tmp_path, make_template):
    paths = []
    for name in ("a.yaml", "b.yaml"):
        path = tmp_path / name
        path.write_text(make_template().replace("version: 1", "version: 0"), encoding="utf-8")
        paths.append(path)
    assert [p.path for p in check_template_files(paths)] == [str(p) for p in paths]
