"""Case-audit quality assurance for children's social care."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from qa_app import request_limits
from qa_app.config import (
    apply_production_defaults,
    default_config,
    ensure_secret_key,
    load_environment,
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Return a configured app: defaults, ``instance/config.py``, environment, then test config."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(default_config(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        load_environment(app)
    else:
        app.config.from_mapping(test_config)
    apply_production_defaults(app)
    ensure_secret_key(app)

    _configure_jinja(app)
    _init_extensions(app)
    _register_blueprints(app)
    request_limits.init_app(app)
    return app


def _configure_jinja(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("qa_app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _init_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from qa_app import database, form_rendering, insight
    from qa_app.auth.login import init_login
    from qa_app.extensions import csrf, db, migrate
    from qa_app.governance.hooks import init_governance
    from qa_app.governance.retention_job import schedule_retention
    from qa_app.jobs import init_app as init_jobs
    from qa_app.security import init_security

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    init_login(app)
    init_security(app)
    init_governance(app)
    WTFormsHelpers(app)
    form_rendering.init_app(app)
    insight.init_app(app)
    init_jobs(app)
    schedule_retention(app)
    _register_job_kinds()

    from qa_app.moderation.closing import register as register_moderation
    from qa_app.notifications.sending import init_app as init_notifications

    init_notifications(app)
    register_moderation()


def _register_job_kinds() -> None:
    from qa_app.cases.import_job import register as register_case_import_job
    from qa_app.reports.pack_job import register as register_pack_job

    register_pack_job()
    register_case_import_job()


def _register_blueprints(app: Flask) -> None:
    from qa_app import errors, pages
    from qa_app.audits.routes import bp as audits_bp
    from qa_app.auth.routes import bp as auth_bp
    from qa_app.cases.routes import bp as cases_bp
    from qa_app.cli import register_cli
    from qa_app.follow_up.routes import bp as follow_up_bp
    from qa_app.governance.blueprint import load_views as governance_views
    from qa_app.insight.routes import bp as insight_bp
    from qa_app.jobs.routes import bp as jobs_bp
    from qa_app.manage.routes import bp as manage_bp
    from qa_app.moderation.routes import bp as moderation_bp
    from qa_app.reports.routes import bp as reports_bp
    from qa_app.rounds.routes import bp as rounds_bp
    from qa_app.template_admin.routes import bp as template_admin_bp

    for blueprint in (
        pages.bp,
        auth_bp,
        audits_bp,
        manage_bp,
        moderation_bp,
        cases_bp,
        rounds_bp,
        follow_up_bp,
        template_admin_bp,
        jobs_bp,
        reports_bp,
        governance_views(),
        insight_bp,
    ):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    register_cli(app)
