"""SQLite commits wait for the operating system, not the disk, and still survive the app's
process being killed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from sqlalchemy import create_engine, text

from qa_app import create_app
from qa_app.extensions import db


def test_sqlite_syncs_at_checkpoints_not_at_every_commit(tmp_path):
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/s"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        db.engine.dispose()


def test_a_commit_survives_the_process_being_killed_straight_after(tmp_path):
    path = tmp_path / "killed.sqlite3"
    writer = textwrap.dedent(
        f"""
        import os, signal
        from sqlalchemy import text
        from qa_app import create_app
        from qa_app.extensions import db

        app = create_app({{"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": "sqlite:///{path}"}})
        with app.app_context():
            db.session.execute(text("CREATE TABLE saved (n INTEGER)"))
            db.session.execute(text("INSERT INTO saved VALUES (42)"))
            db.session.commit()
            os.kill(os.getpid(), signal.SIGKILL)  # no clean shutdown, no checkpoint
        """
    )
    finished = subprocess.run([sys.executable, "-c", writer], capture_output=True, timeout=120)
    assert finished.returncode == -9, finished.stderr.decode()[-2000:]
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM saved")).scalar() == 42
    engine.dispose()
