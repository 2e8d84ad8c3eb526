"""Configuration: defaults, then ``instance/config.py``, then environment variables.

The factory in ``qa_app/__init__.py`` applies a test config last.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

SECRET_KEY_FILE = "secret_key"


class ConfigurationError(RuntimeError):
    """Raised when the app cannot start safely with the configuration it was given."""


def default_config(instance_path: str) -> dict[str, object]:
    """Return the development defaults: SQLite in the instance folder."""
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "qa_app.sqlite3"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "AUDIT_TEMPLATES_DIR": str(Path(instance_path).parent / "audit_templates"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Signed-in sessions end after this long without a request (each request renews it).
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=60),
        # Ordinary posts; views marked @accepts_uploads take files up to the upload limit.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "UPLOAD_MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "SERVICE_NAME": "Case audit",
    }


def load_environment(app: Flask) -> None:
    """Apply settings given as environment variables (they win over ``instance/config.py``)."""
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("QA_APP_ENV"):
        app.config["ENV_NAME"] = os.environ["QA_APP_ENV"]


def normalise_database_url(url: str) -> str:
    """Return the URL with the psycopg 3 driver named, as platforms often give ``postgres://``."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_secret_key(app: Flask) -> None:
    """Make sure ``SECRET_KEY`` is set.

    In development a random key is generated once and kept in the instance folder, so sessions
    survive restarts. In production (``QA_APP_ENV=production``) the app refuses to start without
    a key given explicitly.
    """
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("ENV_NAME") == "production":
        raise ConfigurationError(
            "SECRET_KEY is not set. In production set the SECRET_KEY environment variable "
            "or put SECRET_KEY in instance/config.py."
        )
    key_file = Path(app.instance_path) / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
