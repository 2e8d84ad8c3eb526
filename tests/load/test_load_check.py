"""The load test's check finds a lost or half-stored save (so it can fail)."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from tests.load.__main__ import _report

SETUP = {"criteria": ["a", "b"], "auditors": [{"audit_id": 1}, {"audit_id": 2}]}


def _world(tmp_path, stored: dict[int, tuple[int, int]], journal: list[dict]):
    url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE answers (audit_id, criterion_key, rationale)"))
        for audit, numbers in stored.items():
            for key, number in zip(("a", "b"), numbers, strict=True):
                connection.execute(
                    text("INSERT INTO answers VALUES (:a, :k, :r)"),
                    {"a": audit, "k": key, "r": f"save {number} (synthetic load test text)"},
                )
    engine.dispose()
    (tmp_path / "journal.jsonl").write_text("".join(json.dumps(e) + "\n" for e in journal))
    (tmp_path / "stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,50%,95%\nPOST,autosave,4,0,20,40\n"
    )
    return url


def _check(tmp_path, url) -> bool:
    return _report("sqlite", url, SETUP, tmp_path / "journal.jsonl", tmp_path / "stats.csv", 60, 1)


JOURNAL = [
    {"audit": 1, "event": "sent", "number": 1},
    {"audit": 1, "event": "ack", "number": 1, "lock": "2"},
    {"audit": 1, "event": "sent", "number": 2},  # its answer was lost with the killed worker
    {"audit": 2, "event": "sent", "number": 1},
    {"audit": 2, "event": "ack", "number": 1, "lock": "2"},
]


def test_every_acknowledged_save_present_passes(tmp_path, capsys):
    assert _check(tmp_path, _world(tmp_path, {1: (2, 2), 2: (1, 1)}, JOURNAL))
    assert "lost=0" in capsys.readouterr().out


def test_a_missing_acknowledged_save_fails(tmp_path, capsys):
    journal = [*JOURNAL, {"audit": 2, "event": "sent", "number": 2}]
    journal.append({"audit": 2, "event": "ack", "number": 2, "lock": "3"})
    assert not _check(tmp_path, _world(tmp_path, {1: (1, 1), 2: (1, 1)}, journal))
    assert "lost=1" in capsys.readouterr().out


def test_half_a_save_fails(tmp_path, capsys):
    assert not _check(tmp_path, _world(tmp_path, {1: (2, 1), 2: (1, 1)}, JOURNAL))
    assert "partial=1" in capsys.readouterr().out


def test_a_server_error_fails(tmp_path):
    journal = [*JOURNAL, {"audit": 2, "event": "5xx", "status": 500}]
    assert not _check(tmp_path, _world(tmp_path, {1: (2, 2), 2: (1, 1)}, journal))
