"""Insight: dashboards, the findings tracker and the rollup they read."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Keep the rollup current whenever an audit's reported figures change."""
    from qa_app.audit_changes import on_audit_changed
    from qa_app.insight.rollup import refresh_audit_on_change

    app.config.setdefault("INSIGHT_SUPPRESS_BELOW", 5)
    on_audit_changed("insight", refresh_audit_on_change)
