"""The parsed form of an audit template: plain, immutable data.

A template file is parsed (see ``parser.py``) into a :class:`TemplateDefinition`. The definition is
stored as JSON beside each template version (``to_dict``/``from_dict``), so an audit is always
shown, scored and exported against the exact version it was filled in against.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

AnswerType = Literal["scale", "date", "number", "text", "tags"]
ANSWER_TYPES: tuple[str, ...] = ("scale", "date", "number", "text", "tags")

# How the need for a written rationale is decided for one criterion.
#   "scale":  as the chosen option says (each scale option has ``needs_rationale``)
#   "always" / "never": regardless of the answer
#   "below":  when the answer's score is lower than the option named by ``rationale_below``
RationaleRule = Literal["scale", "always", "never", "below"]

# The judgement areas of the Ofsted ILACS framework that a criterion can evidence.
INSPECTION_AREAS: dict[str, str] = {
    "leaders": "The impact of leaders on social work practice",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}

CONDITION_OPERATORS: tuple[str, ...] = ("is", "is_not", "in", "not_in", "includes", "answered")

NOT_APPLICABLE = "na"

# The case types a case list can hold and a template can apply to.
CASE_TYPES: dict[str, str] = {
    "contact_referral": "Contact or referral",
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "child_in_care": "Child in care",
    "care_leaver": "Care leaver",
    "homeless_16_17": "Homeless 16 or 17-year-old",
    "lado": "LADO (allegation against an adult who works with children)",
}


@dataclass(frozen=True)
class ScaleOption:
    value: str
    label: str
    score: float
    needs_rationale: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    options: tuple[ScaleOption, ...]

    def option(self, value: str) -> ScaleOption | None:
        """Return the option with this value, or None."""
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True)
class TagOption:
    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """One test on an earlier criterion's answer, e.g. ``lado_involved is yes``."""

    criterion: str
    operator: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShowIf:
    """A question is shown when all (or any) of its conditions hold."""

    mode: Literal["all", "any"]
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Criterion:
    key: str
    question: str
    type: AnswerType = "scale"
    scale: str | None = None
    hint: str = ""
    guidance: str = ""
    required: bool = True
    allow_na: bool = False
    weight: float = 1.0
    rationale: RationaleRule = "scale"
    rationale_below: str | None = None
    area: str | None = None
    findings: tuple[str, ...] = ()
    show_if: ShowIf | None = None
    replaces: str | None = None
    # The key that joins this criterion's trend across versions (the earliest key in its
    # ``replaces`` chain). Set when the template is loaded beside its earlier versions.
    lineage: str | None = None
    # tags answers: the options to choose from
    options: tuple[TagOption, ...] = ()
    # number answers: inclusive bounds
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Judgement:
    """A graded judgement on a section or on the whole audit."""

    question: str
    scale: str
    hint: str = ""
    guidance: str = ""
    rationale: RationaleRule = "scale"
    rationale_below: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    guidance: str = ""
    criteria: tuple[Criterion, ...] = ()
    judgement: Judgement | None = None


@dataclass(frozen=True)
class TemplateDefinition:
    key: str
    version: int
    title: str
    description: str
    sections: tuple[Section, ...]
    overall: Judgement
    scales: dict[str, Scale] = field(default_factory=dict)
    findings: dict[str, str] = field(default_factory=dict)
    applies_to: tuple[str, ...] = ()
    look_back_months: int | None = None
    # Keys of criteria or sections the overall judgement may not be better than.
    limited_by: tuple[str, ...] = ()

    # --- lookups -------------------------------------------------------------------------

    def criteria(self) -> list[Criterion]:
        """Return every criterion in template order."""
        return [criterion for section in self.sections for criterion in section.criteria]

    def criterion(self, key: str) -> Criterion | None:
        """Return the criterion with this key, or None."""
        for criterion in self.criteria():
            if criterion.key == key:
                return criterion
        return None

    def section_of(self, criterion_key: str) -> Section | None:
        """Return the section holding the criterion, or None."""
        for section in self.sections:
            if any(c.key == criterion_key for c in section.criteria):
                return section
        return None

    def scale(self, key: str) -> Scale:
        """Return a scale used by this template (built-in scales are copied in when parsed)."""
        return self.scales[key]

    def lineage_key(self, criterion_key: str) -> str:
        """Return the key that joins this criterion with its ancestors across versions.

        A criterion that says ``replaces: old_key`` continues ``old_key``'s trend; the earliest
        key in the chain is used, and the chain is recorded when the template is parsed.
        """
        criterion = self.criterion(criterion_key)
        if criterion is None:
            return criterion_key
        return criterion.lineage or criterion.replaces or criterion_key

    # --- JSON round trip -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict that ``from_dict`` turns back into this definition."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TemplateDefinition:
        """Return the definition stored by ``to_dict``."""

        def judgement(d: dict[str, Any] | None) -> Judgement | None:
            return None if d is None else Judgement(**d)

        def show_if(d: dict[str, Any] | None) -> ShowIf | None:
            if d is None:
                return None
            conditions = tuple(
                Condition(c["criterion"], c["operator"], tuple(c["values"]))
                for c in d["conditions"]
            )
            return ShowIf(d["mode"], conditions)

        def criterion(d: dict[str, Any]) -> Criterion:
            d = dict(d)
            d["findings"] = tuple(d.get("findings", ()))
            d["options"] = tuple(TagOption(**o) for o in d.get("options", ()))
            d["show_if"] = show_if(d.get("show_if"))
            return Criterion(**d)

        sections = tuple(
            Section(
                key=s["key"],
                title=s["title"],
                guidance=s.get("guidance", ""),
                criteria=tuple(criterion(c) for c in s["criteria"]),
                judgement=judgement(s.get("judgement")),
            )
            for s in data["sections"]
        )
        scales = {
            key: Scale(
                key=s["key"],
                label=s["label"],
                options=tuple(ScaleOption(**o) for o in s["options"]),
            )
            for key, s in data.get("scales", {}).items()
        }
        overall = judgement(data["overall"])
        assert overall is not None
        return cls(
            key=data["key"],
            version=data["version"],
            title=data["title"],
            description=data.get("description", ""),
            sections=sections,
            overall=overall,
            scales=scales,
            findings=dict(data.get("findings", {})),
            applies_to=tuple(data.get("applies_to", ())),
            look_back_months=data.get("look_back_months"),
            limited_by=tuple(data.get("limited_by", ())),
        )
