"""What changed between two versions of a template, in plain words.

Each :class:`Change` has a kind:

* ``added`` / ``removed``: a criterion, section, finding or custom scale came or went.
* ``reworded``: a question, hint, guidance, title, description or wording changed.
* ``rescaled``: a scale or answer type changed, or the options of a scale (or of a tags
  question) changed, so answers before and after may not compare.
* ``moved``: a criterion moved to another section or position, or a section moved.
* ``replaced``: a new criterion says ``replaces: old_key`` for a criterion that has gone.
* ``changed``: any other setting (required, allow_na, weight, rationale, show_if, area,
  findings, limits, the overall judgement's ``limited_by``, applies_to and so on).

The version number and ``lineage`` are not compared.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from qa_app.template_format.conditions_text import show_if_to_text
from qa_app.template_format.definition import (
    Criterion,
    Judgement,
    Scale,
    Section,
    TemplateDefinition,
)
from qa_app.template_format.emitter import number, rationale_text
from qa_app.template_format.scales import BUILT_IN_SCALES


@dataclass(frozen=True)
class Change:
    """One difference between two template versions."""

    kind: str
    key: str
    description: str


def diff_templates(old: TemplateDefinition, new: TemplateDefinition) -> list[Change]:
    """Return the changes from ``old`` to ``new``: template, overall, findings, scales, then
    sections and criteria in the new template's order (removed ones last)."""
    changes: list[Change] = []
    _template(old, new, changes)
    _judgement("overall judgement", "overall", old.overall, new.overall, changes)
    if old.limited_by != new.limited_by:
        changes.append(
            Change(
                "changed",
                "overall",
                f"overall judgement limited by changed from {_list(old.limited_by)} "
                f"to {_list(new.limited_by)}",
            )
        )
    _findings(old.findings, new.findings, changes)
    _scales(old.scales, new.scales, changes)
    _sections(old.sections, new.sections, changes)
    _criteria(old, new, changes)
    return changes


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 3] + "..."}"'


def _list(items: Sequence[str]) -> str:
    return _quote(", ".join(items)) if items else "none"


def _template(old: TemplateDefinition, new: TemplateDefinition, changes: list[Change]) -> None:
    key = new.key
    if old.key != new.key:
        changes.append(
            Change("changed", key, f"template key changed from {_quote(old.key)} to {_quote(key)}")
        )
    if old.title != new.title:
        changes.append(
            Change(
                "reworded", key, f"title changed from {_quote(old.title)} to {_quote(new.title)}"
            )
        )
    if old.description != new.description:
        changes.append(Change("reworded", key, "description changed"))
    if old.applies_to != new.applies_to:
        changes.append(
            Change(
                "changed",
                key,
                f"case types changed from {_list(old.applies_to)} to {_list(new.applies_to)}",
            )
        )
    if old.look_back_months != new.look_back_months:
        before, after = (
            "not set" if m is None else f"{m} months"
            for m in (old.look_back_months, new.look_back_months)
        )
        changes.append(Change("changed", key, f"look-back period changed from {before} to {after}"))


def _rationale(judgement: Judgement | Criterion) -> str:
    text = rationale_text(judgement.rationale, judgement.rationale_below)
    return "as the chosen option says" if text is None else text


def _judgement(
    what: str, key: str, old: Judgement | None, new: Judgement | None, changes: list[Change]
) -> None:
    if old is None and new is None:
        return
    if old is None or new is None:
        state = "added" if old is None else "removed"
        changes.append(Change("changed", key, f"{what} {state}"))
        return
    if old.question != new.question:
        changes.append(
            Change(
                "reworded",
                key,
                f"{what} question reworded from {_quote(old.question)} to {_quote(new.question)}",
            )
        )
    for field in ("hint", "guidance"):
        if getattr(old, field) != getattr(new, field):
            changes.append(Change("reworded", key, f"{what} {field} changed"))
    if old.scale != new.scale:
        changes.append(
            Change(
                "rescaled",
                key,
                f"{what} scale changed from {_quote(old.scale)} to {_quote(new.scale)}",
            )
        )
    if _rationale(old) != _rationale(new):
        changes.append(
            Change(
                "changed",
                key,
                f"{what} rationale rule changed from {_quote(_rationale(old))} "
                f"to {_quote(_rationale(new))}",
            )
        )


def _findings(old: dict[str, str], new: dict[str, str], changes: list[Change]) -> None:
    for key, wording in new.items():
        if key not in old:
            changes.append(Change("added", key, f"finding {_quote(key)} added: {_quote(wording)}"))
        elif old[key] != wording:
            changes.append(
                Change(
                    "reworded",
                    key,
                    f"wording of finding {_quote(key)} changed to {_quote(wording)}",
                )
            )
    for key in old:
        if key not in new:
            changes.append(Change("removed", key, f"finding {_quote(key)} removed"))


def _scales(old: dict[str, Scale], new: dict[str, Scale], changes: list[Change]) -> None:
    for key, scale in new.items():
        before = old.get(key)
        if before is None:
            if key not in BUILT_IN_SCALES:
                changes.append(Change("added", key, f"scale {_quote(key)} added"))
            continue
        if before.label != scale.label:
            changes.append(
                Change(
                    "reworded",
                    key,
                    f"label of scale {_quote(key)} changed to {_quote(scale.label)}",
                )
            )
        details = _option_changes(before, scale)
        if details:
            changes.append(
                Change(
                    "rescaled", key, f"options of scale {_quote(key)} changed: {'; '.join(details)}"
                )
            )
    for key in old:
        if key not in new and key not in BUILT_IN_SCALES:
            changes.append(Change("removed", key, f"scale {_quote(key)} removed"))


def _option_changes(old: Scale, new: Scale) -> list[str]:
    before = {option.value: option for option in old.options}
    after = {option.value: option for option in new.options}
    details = [f"added {_quote(v)}" for v in after if v not in before]
    details += [f"removed {_quote(v)}" for v in before if v not in after]
    for value, option in after.items():
        was = before.get(value)
        if was is None:
            continue
        if was.label != option.label:
            details.append(f"{_quote(value)} relabelled {_quote(option.label)}")
        if was.score != option.score:
            details.append(
                f"score of {_quote(value)} changed "
                f"from {number(was.score)} to {number(option.score)}"
            )
        if was.needs_rationale != option.needs_rationale:
            needs = "now needs" if option.needs_rationale else "no longer needs"
            details.append(f"{_quote(value)} {needs} a rationale")
        if was.hint != option.hint:
            details.append(f"hint of {_quote(value)} changed")
    common_before = [v for v in before if v in after]
    common_after = [v for v in after if v in before]
    if common_before != common_after:
        details.append("options reordered")
    return details


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """Return the keys whose order relative to the others changed (the fewest that explain it)."""
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    kept = {
        key
        for block in matcher.get_matching_blocks()
        for key in new_order[block.b : block.b + block.size]
    }
    return {key for key in new_order if key not in kept}


def _sections(old: Sequence[Section], new: Sequence[Section], changes: list[Change]) -> None:
    before = {section.key: section for section in old}
    after = {section.key: section for section in new}
    moved = _moved([k for k in before if k in after], [k for k in after if k in before])
    for position, section in enumerate(new, start=1):
        key = section.key
        was = before.get(key)
        if was is None:
            changes.append(
                Change("added", key, f"section {_quote(key)} added: {_quote(section.title)}")
            )
            continue
        if key in moved:
            old_position = list(before).index(key) + 1
            changes.append(
                Change(
                    "moved",
                    key,
                    f"section {_quote(key)} moved from position {old_position} to {position}",
                )
            )
        if was.title != section.title:
            changes.append(
                Change(
                    "reworded",
                    key,
                    f"title of section {_quote(key)} changed from {_quote(was.title)} "
                    f"to {_quote(section.title)}",
                )
            )
        if was.guidance != section.guidance:
            changes.append(Change("reworded", key, f"guidance of section {_quote(key)} changed"))
        _judgement(
            f"section {_quote(key)} judgement", key, was.judgement, section.judgement, changes
        )
    for key in before:
        if key not in after:
            changes.append(Change("removed", key, f"section {_quote(key)} removed"))


def _criteria(old: TemplateDefinition, new: TemplateDefinition, changes: list[Change]) -> None:
    old_place = {c.key: (s.key, i) for s in old.sections for i, c in enumerate(s.criteria, start=1)}
    new_place = {c.key: (s.key, i) for s in new.sections for i, c in enumerate(s.criteria, start=1)}
    # new key -> old key it continues (the same key, or the key it says it replaces)
    pairs: dict[str, str] = {}
    for criterion in new.criteria():
        if criterion.key in old_place:
            pairs[criterion.key] = criterion.key
        elif criterion.replaces in old_place and criterion.replaces not in new_place:
            pairs[criterion.key] = criterion.replaces
    continued = set(pairs.values())

    moved: set[str] = set()
    for section in new.sections:
        staying = [
            k
            for k, o in pairs.items()
            if new_place[k][0] == section.key and old_place[o][0] == section.key
        ]
        old_order = sorted(staying, key=lambda k: old_place[pairs[k]][1])
        new_order = sorted(staying, key=lambda k: new_place[k][1])
        moved |= _moved(old_order, new_order)

    for criterion in new.criteria():
        key = criterion.key
        if key not in pairs:
            changes.append(
                Change("added", key, f"criterion {_quote(key)} added: {_quote(criterion.question)}")
            )
            continue
        old_key = pairs[key]
        if old_key != key:
            changes.append(
                Change("replaced", key, f"criterion {_quote(key)} replaces {_quote(old_key)}")
            )
        (old_section, old_position), (new_section, new_position) = (
            old_place[old_key],
            new_place[key],
        )
        if old_section != new_section:
            changes.append(
                Change(
                    "moved",
                    key,
                    f"criterion {_quote(key)} moved from section {_quote(old_section)} "
                    f"to {_quote(new_section)}",
                )
            )
        elif key in moved:
            changes.append(
                Change(
                    "moved",
                    key,
                    f"criterion {_quote(key)} moved from position {old_position} to {new_position} "
                    f"in section {_quote(new_section)}",
                )
            )
        was = old.criterion(old_key)
        assert was is not None
        _criterion(key, was, criterion, old, new, changes)

    for criterion in old.criteria():
        if criterion.key not in continued:
            changes.append(
                Change("removed", criterion.key, f"criterion {_quote(criterion.key)} removed")
            )


_SETTINGS = (
    ("reworded", "question", lambda c: _quote(c.question)),
    ("reworded", "hint", lambda c: _quote(c.hint)),
    ("reworded", "guidance", lambda c: _quote(c.guidance)),
    ("changed", "weight", lambda c: str(number(c.weight))),
    ("changed", "rationale rule", lambda c: _quote(_rationale(c))),
    ("changed", "show if", lambda c: _quote(show_if_to_text(c.show_if)) if c.show_if else "none"),
    ("changed", "inspection area", lambda c: c.area or "none"),
    ("changed", "findings", lambda c: _list(c.findings)),
    ("changed", "limits", lambda c: _limits(c)),
)


def _criterion(
    key: str,
    was: Criterion,
    now: Criterion,
    old: TemplateDefinition,
    new: TemplateDefinition,
    changes: list[Change],
) -> None:
    name = _quote(key)

    def add(kind: str, description: str) -> None:
        changes.append(Change(kind, key, description))

    if was.type != now.type:
        add("rescaled", f"criterion {name} changed from a {was.type} to a {now.type} question")
    elif was.scale != now.scale:
        scales = f"{_quote(was.scale or '')} to {_quote(now.scale or '')}"
        add("rescaled", f"scale of criterion {name} changed from {scales}")
    elif now.scale is not None and old.scales.get(now.scale) != new.scales.get(now.scale):
        add("rescaled", f"criterion {name} uses scale {_quote(now.scale)}, whose options changed")
    elif was.options != now.options:
        options = [_list([f"{o.value}={o.label}" for o in c.options]) for c in (was, now)]
        add("rescaled", f"options of criterion {name} changed from {options[0]} to {options[1]}")
    if was.required != now.required:
        add("changed", f"criterion {name} is now {'required' if now.required else 'optional'}")
    if was.allow_na != now.allow_na:
        add(
            "changed",
            f"criterion {name} {'now allows' if now.allow_na else 'no longer allows'} N/A",
        )
    for kind, label, describe in _SETTINGS:
        before, after = describe(was), describe(now)
        if before != after:
            add(kind, f"{label} of criterion {name} changed from {before} to {after}")
    if was.replaces != now.replaces and was.key == now.key:
        after = _quote(now.replaces) if now.replaces else "nothing"
        add("changed", f"criterion {name} now says it replaces {after}")


def _limits(criterion: Criterion) -> str:
    low = "no minimum" if criterion.minimum is None else f"min {number(criterion.minimum)}"
    high = "no maximum" if criterion.maximum is None else f"max {number(criterion.maximum)}"
    return f"{low}, {high}"
