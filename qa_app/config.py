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
        # However active, a session ends this long after signing in.
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=12),
        # Production turns these on (see ``apply_production_defaults``); HTTPS is then required.
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "HSTS_MAX_AGE": 0,
        # Sign-in throttling: per account (email typed) and per address, within the window.
        "SIGN_IN_WINDOW": timedelta(minutes=15),
        "SIGN_IN_ACCOUNT_LIMIT": 5,
        "SIGN_IN_ADDRESS_LIMIT": 30,
        # Unset: throttling state lives in the database. A ``limits`` storage URI (for example
        # ``redis://host:6379``) keeps it in that shared store instead.
        "RATELIMIT_STORAGE_URI": None,
        # How many proxies in front of the app set X-Forwarded-For (0: use the peer address).
        "PROXY_FIX_X_FOR": 0,
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
    for name in ("RATELIMIT_STORAGE_URI", "REDIS_URL"):
        if os.environ.get(name):
            app.config["RATELIMIT_STORAGE_URI"] = os.environ[name]
    if os.environ.get("PROXY_FIX_X_FOR", "").isdigit():
        app.config["PROXY_FIX_X_FOR"] = int(os.environ["PROXY_FIX_X_FOR"])


def apply_production_defaults(app: Flask) -> None:
    """In production, cookies travel over HTTPS only and browsers are told to keep to HTTPS
    (HSTS for a year). Behind a proxy that ends TLS the cookies must still be ``Secure``."""
    if app.config.get("ENV_NAME") != "production":
        return
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config.get("HSTS_MAX_AGE"):
        app.config["HSTS_MAX_AGE"] = 365 * 24 * 3600


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
