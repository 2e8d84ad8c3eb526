"""Command-line tools: ``flask --app qa_app <group> <command>``."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    """Add the command groups to the app's ``flask`` command."""
    from qa_app.cli.cases import cases_cli
    from qa_app.cli.demo import demo_cli
    from qa_app.cli.insight import insight_cli
    from qa_app.cli.moderation import moderation_cli
    from qa_app.cli.retention import retention_cli
    from qa_app.cli.rounds import rounds_cli
    from qa_app.cli.templates import templates_cli
    from qa_app.cli.users import teams_cli, users_cli

    app.cli.add_command(templates_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(teams_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(moderation_cli)
    app.cli.add_command(insight_cli)
