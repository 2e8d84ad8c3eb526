"""The dashboard, a finding's criteria, and the same figures as JSON under /api/insight/."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.follow_up.working_days import date_in_england
from qa_app.insight import presentation as show
from qa_app.insight import programme, queries
from qa_app.insight.access import INSIGHT_ROLES, scope_team_ids, suppression_for
from qa_app.insight.filters import BASES, PERIODS, InsightFilter, ParsedFilter, parse_filter
from qa_app.insight.labels import labels_for
from qa_app.template_format.definition import CASE_TYPES

bp = Blueprint("insight", __name__, template_folder="templates")


def _today():
    return date_in_england(utcnow())


def _parsed() -> ParsedFilter:
    deidentified = request.args.get("deidentified") == "1"
    threshold = current_app.config["INSIGHT_SUPPRESS_BELOW"]
    return parse_filter(
        {k: v for k, v in request.args.items() if k != "deidentified"},
        _today(),
        scope_team_ids=scope_team_ids(current_user),
        suppress_below=suppression_for(current_user, threshold, deidentified=deidentified),
    )


@bp.route("/insight")
@role_required(*INSIGHT_ROLES)
def dashboard():
    parsed = _parsed()
    f = parsed.filter
    session, today = db.session, _today()
    profile = queries.grade_profile(session, f)
    trend = queries.monthly_trend(session, f)
    teams = queries.team_profiles(session, f)
    heat = queries.heat_map(session, f)
    findings = queries.findings_tracker(session, f)
    follow = programme.follow_up(session, f, today)
    plan = programme.audit_programme(session, f, today)
    agreement = programme.moderation_agreement(session, f)
    return render_template(
        "insight/dashboard.html",
        parsed=parsed,
        f=f,
        options=_filter_options(f),
        period=show.period_text(f.start, f.end),
        previous=show.period_text(f.previous().start, f.previous().end),
        profile=profile,
        profile_summary=show.profile_summary(profile),
        profile_chart=show.profile_chart(profile),
        trend=trend,
        trend_summary=show.trend_summary(trend),
        trend_chart=show.trend_chart(trend),
        teams=teams,
        teams_summary=show.teams_summary(teams),
        teams_chart=show.teams_chart(teams) if teams else None,
        heat=heat,
        heat_summary=show.heat_summary(heat),
        heat_band=show.heat_band,
        heat_legend=show.HEAT_LEGEND,
        findings=[(t, show.finding_summary(t), show.finding_chart(t)) for t in findings],
        follow=follow,
        follow_summary=show.follow_up_summary(follow),
        follow_chart=show.follow_up_chart(follow),
        plan=plan,
        plan_summary=show.programme_summary(plan),
        agreement=agreement,
        agreement_summary=show.moderation_summary(agreement),
        format_hours=show.format_hours,
        count_text=_count_text(f),
        page_has_errors=bool(parsed.errors),
        api_links=_api_links(f),
    )


@bp.route("/insight/findings/<finding>")
@role_required(*INSIGHT_ROLES)
def finding(finding: str):
    parsed = _parsed()
    detail = queries.finding_detail(db.session, parsed.filter, finding)
    if detail is None:
        abort(404)
    return render_template(
        "insight/finding.html",
        detail=detail,
        f=parsed.filter,
        period=show.period_text(parsed.filter.start, parsed.filter.end),
        back=url_for("insight.dashboard", **parsed.filter.to_params()) + "#findings",
    )


PANELS: dict[str, Callable[[InsightFilter], object]] = {
    "grade-profile": lambda f: queries.grade_profile(db.session, f),
    "trend": lambda f: queries.monthly_trend(db.session, f),
    "teams": lambda f: queries.team_profiles(db.session, f),
    "heat-map": lambda f: queries.heat_map(db.session, f),
    "findings": lambda f: queries.findings_tracker(db.session, f),
    "follow-up": lambda f: programme.follow_up(db.session, f, _today()),
    "programme": lambda f: programme.audit_programme(db.session, f, _today()),
    "moderation": lambda f: _agreement_json(programme.moderation_agreement(db.session, f)),
}


@bp.route("/api/insight/<panel>")
@role_required(*INSIGHT_ROLES)
def api_panel(panel: str):
    if panel not in PANELS:
        abort(404)
    parsed = _parsed()
    if parsed.errors:
        return jsonify({"errors": parsed.errors}), 400
    f = parsed.filter
    return jsonify(
        {
            "panel": panel,
            "filters": show.filter_json(f),
            "data": show.to_json(PANELS[panel](f), f.suppress_below),
        }
    )


@bp.route("/api/insight/findings/<finding>")
@role_required(*INSIGHT_ROLES)
def api_finding(finding: str):
    parsed = _parsed()
    if parsed.errors:
        return jsonify({"errors": parsed.errors}), 400
    detail = queries.finding_detail(db.session, parsed.filter, finding)
    if detail is None:
        abort(404)
    f = parsed.filter
    return jsonify(
        {
            "panel": "finding",
            "filters": show.filter_json(f),
            "data": show.to_json(detail, f.suppress_below),
        }
    )


def _agreement_json(agreement: programme.ModerationAgreement) -> dict[str, object]:
    figures = agreement.figures
    hidden = agreement.suppressed
    return {
        "moderated": agreement.moderated,
        "reported": agreement.reported,
        "grades": [value for value, _ in agreement.options],
        "confusion_table": None if hidden else [list(row) for row in agreement.table.counts],
        "exact_percent": None if hidden else figures.exact_percent,
        "within_one_percent": None if hidden else figures.within_one_percent,
        "weighted_kappa_quadratic": None if hidden else figures.quadratic.kappa,
        "weighted_kappa_linear": None if hidden else figures.linear.kappa,
        "kappa_95_interval": None
        if hidden or figures.quadratic.low is None
        else [figures.quadratic.low, figures.quadratic.high],
    }


def _count_text(f: InsightFilter) -> Callable[[int], str]:
    def text(count: int) -> str:
        return f"fewer than {f.suppress_below}" if 0 < count < f.suppress_below else str(count)

    return text


def _api_links(f: InsightFilter) -> list[tuple[str, str]]:
    params = f.to_params()
    return [(name, url_for("insight.api_panel", panel=name, **params)) for name in PANELS]


def _filter_options(f: InsightFilter) -> dict[str, list[dict[str, object]]]:
    """Return the choices of each filter, as GOV.UK select items, the current one selected."""
    names = queries.team_names(db.session)
    if f.scope_team_ids is not None:
        names = {k: v for k, v in names.items() if k in f.scope_team_ids}
    labels = labels_for(db.session)
    rounds = programme.round_names(db.session)

    def items(pairs, current, everything: str) -> list[dict[str, object]]:
        return [{"value": "", "text": everything}] + [
            {"value": str(value), "text": text, "selected": str(value) == str(current)}
            for value, text in pairs
        ]

    return {
        "period": [
            {"value": value, "text": text, "selected": value == f.period}
            for value, text in PERIODS.items()
        ],
        "team": items(sorted(names.items(), key=lambda i: i[1]), f.team_id, "All teams"),
        "template": items(sorted(labels.templates.items()), f.template_key, "All templates"),
        "round": items(rounds, f.round_id, "All rounds and audits outside rounds"),
        "case_type": items(CASE_TYPES.items(), f.case_type, "All case types"),
        "grade": [
            {"value": value, "text": text, "checked": value == f.basis}
            for value, text in BASES.items()
        ],
    }
