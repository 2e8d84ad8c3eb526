"""Forms for audit rounds: creating a round (its dates and sampling rule) and assigning evenly.

The fields carry no validators: ``read_round_form`` checks what was typed with the same rules the
domain and the CLI use, puts each problem on its field, and leaves the typed text in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)

from qa_app.audits.forms import DatePartsField
from qa_app.audits.responses import parse_date_parts
from qa_app.models import Team, TemplateVersion
from qa_app.rounds.operations import RoundDetails, check_name, check_round_dates
from qa_app.sampling.rule import (
    MAX_SEED,
    PER_TEAM,
    PERCENT,
    RuleProblem,
    SamplingRule,
    parse_percent,
    parse_whole_number,
)

SEED_HINT = "Leave blank for a new random draw; enter a previous seed to draw the same sample again"


class CreateRoundForm(FlaskForm):
    name = StringField(
        "Name of the round",
        description="For example, April 2026 case audits",
        widget=GovTextInput(),
    )
    template_version_id = SelectField(
        "Audit template", widget=GovSelect(), coerce=str, validate_choice=False
    )
    period_start = DatePartsField("Start of the period", description="For example, 1 4 2026")
    period_end = DatePartsField("End of the period", description="For example, 30 4 2026")
    due_date = DatePartsField(
        "Due date", description="When the audits must be submitted. For example, 15 5 2026"
    )
    mode = RadioField(
        "How many cases should be drawn from each team?",
        description="Each team is sampled separately",
        choices=[
            SelectChoice(PER_TEAM, "Number of cases per team"),
            SelectChoice(PERCENT, "Percentage of open cases per team"),
        ],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    cases_per_team = StringField("Number of cases per team", widget=GovTextInput())
    percent = StringField(
        "Percentage of open cases per team",
        description="Rounded up, so every team with an eligible case gives at least one",
        widget=GovTextInput(),
    )
    stratify = BooleanField(
        "Spread across case types",
        description="Share each team's cases across its case types in proportion to how many "
        "it holds",
        widget=GovCheckboxInput(),
    )
    exclude_months = StringField(
        "Leave out cases audited in the last",
        description="Enter 0 to include cases however recently they were audited",
        default="12",
        widget=GovTextInput(),
    )
    exclude_closed = BooleanField("Leave out closed cases", default=True, widget=GovCheckboxInput())
    teams = SelectMultipleField(
        "Teams to sample",
        description="Leave them all ticked to sample every team",
        widget=GovCheckboxesInput(),
        coerce=str,
        validate_choice=False,
    )
    seed = StringField("Seed (optional)", description=SEED_HINT, widget=GovTextInput())
    submit = SubmitField("Create round and preview the sample", widget=GovSubmitInput())

    def set_choices(self, versions: list[TemplateVersion], teams: list[Team]) -> None:
        """Fill the template and team choices (latest version of each template, every team)."""
        self.template_version_id.choices = [SelectChoice("", "Select a template")] + [
            SelectChoice(str(v.id), v.label) for v in versions
        ]
        self.teams.choices = [SelectChoice(str(t.id), t.name) for t in teams]


class AssignEvenlyForm(FlaskForm):
    auditors = SelectMultipleField(
        "Auditors to share the cases between",
        description="No one is given a case held by their own team",
        widget=GovCheckboxesInput(),
        coerce=str,
        validate_choice=False,
    )
    submit = SubmitField("Spread evenly across auditors", widget=GovSubmitInput())


# The form field each rule or round problem belongs to, in the order they appear on the page.
FIELD_ORDER = (
    "name",
    "template_version_id",
    "period_start",
    "period_end",
    "due_date",
    "mode",
    "cases_per_team",
    "percent",
    "exclude_months",
    "teams",
    "seed",
)
RULE_FIELDS = {"exclude_audited_within_months": "exclude_months"}


@dataclass
class _Reader:
    form: CreateRoundForm
    problems: list[RuleProblem]

    def add(self, field: str, message: str) -> None:
        self.problems.append(RuleProblem(RULE_FIELDS.get(field, field), message))

    def has(self, field: str) -> bool:
        return any(p.field == RULE_FIELDS.get(field, field) for p in self.problems)

    def date(self, field: DatePartsField, name: str) -> date | None:
        parsed, problem = parse_date_parts(*field.parts())
        if problem:
            self.add(field.name, f"{name} {problem}")
        elif parsed is None:
            self.add(field.name, f"Enter the {name.lower()}")
        return parsed

    def number(self, field: StringField, parse, empty: str, wrong: str):
        text = (field.data or "").strip()
        if not text:
            self.add(field.name, empty)
            return None
        value = parse(text)
        if value is None:
            self.add(field.name, wrong)
        return value


def read_round_form(
    form: CreateRoundForm, versions: dict[int, TemplateVersion], all_team_ids: list[int]
) -> tuple[RoundDetails | None, list[RuleProblem]]:
    """Return the round the form describes, or None and the problems found (in page order).

    Each problem is also put on its field, so the page shows it beside what was typed.
    """
    reader = _Reader(form, [])
    name = form.name.data or ""
    for problem in check_name(name):
        reader.add(problem.field, problem.message)
    version = versions.get(parse_whole_number(form.template_version_id.data or "") or 0)
    if version is None:
        reader.add("template_version_id", "Select an audit template")
    start = reader.date(form.period_start, "Start of the period")
    end = reader.date(form.period_end, "End of the period")
    due = reader.date(form.due_date, "Due date")
    for problem in check_round_dates(start, end, due):
        reader.add(problem.field, problem.message)

    rule = _read_rule(form, reader, all_team_ids)
    for problem in rule.validate():
        if not reader.has(problem.field):
            reader.add(problem.field, problem.message)
    seed = None
    if (form.seed.data or "").strip():
        seed = parse_whole_number(form.seed.data)
        if seed is None or not 0 <= seed <= MAX_SEED:
            reader.add("seed", f"Seed must be a whole number from 0 to {MAX_SEED:,}")

    problems = sorted(reader.problems, key=lambda p: FIELD_ORDER.index(p.field))
    put_on_fields(form, problems)
    if problems:
        return None, problems
    assert version and start and end and due
    return RoundDetails(name, version, start, end, due, rule, seed), []


def _read_rule(form: CreateRoundForm, reader: _Reader, all_team_ids: list[int]) -> SamplingRule:
    mode = form.mode.data if form.mode.data in (PER_TEAM, PERCENT) else ""
    cases_per_team = percent = None
    if mode == PER_TEAM:
        cases_per_team = reader.number(
            form.cases_per_team,
            parse_whole_number,
            "Enter the number of cases per team",
            "Number of cases per team must be a whole number, like 3",
        )
    elif mode == PERCENT:
        percent = reader.number(
            form.percent,
            parse_percent,
            "Enter the percentage of open cases per team",
            "Percentage must be a number, like 10",
        )
    months = reader.number(
        form.exclude_months,
        parse_whole_number,
        "Enter the number of months (0 to include every case)",
        "Months must be a whole number, like 12",
    )
    chosen = {parse_whole_number(v) for v in form.teams.data or []} & set(all_team_ids)
    # Every team ticked means every team, including teams added before the sample is confirmed.
    teams = None if chosen == set(all_team_ids) else sorted(chosen)
    return SamplingRule(
        mode=mode,
        cases_per_team=cases_per_team,
        percent=percent,
        stratify_by_case_type=bool(form.stratify.data),
        exclude_audited_within_months=months if months is not None else 12,
        exclude_closed=bool(form.exclude_closed.data),
        teams=teams,
    )


def put_on_fields(form: FlaskForm, problems: list[RuleProblem]) -> None:
    """Put each problem's message on its form field (fields unknown to the form are skipped)."""
    for problem in problems:
        if problem.field in form:
            field = form[problem.field]
            field.errors = [*field.errors, problem.message]


def error_summary(form: FlaskForm, problems: list[RuleProblem]) -> list[dict[str, str]]:
    """Return the error summary's items: each message, linking to its field (a date's day box)."""
    items = []
    for problem in problems:
        anchor = problem.field
        if problem.field in form and isinstance(form[problem.field], DatePartsField):
            anchor = f"{problem.field}-day"
        items.append({"text": problem.message, "href": f"#{anchor}"})
    return items
