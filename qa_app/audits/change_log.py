"""What the append-only event log says about a change to an audit: grades, never written text.

Grades (scale options, N/A, tags chosen, numbers and dates) are recorded old to new, as they
carry no words about a child. A written field (a rationale, a written answer, the override
reason, the worker's reflection, the family's feedback, a reason for returning the audit) is
recorded only as having changed: its old and new length and a keyed hash of the new text. The
text itself goes to the revisions table, which a retention rule can purge. A value that should
be a grade but is not one of the scale's options is treated as written text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from qa_app.audits.responses import JUDGEMENT_SUFFIX, OVERALL
from qa_app.template_format.definition import NOT_APPLICABLE, TemplateDefinition

Fingerprint = Callable[[str | None], str | None]
# (revision field, text) pairs to keep in the revisions table.
Revisions = list[tuple[str, str | None]]

_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,15})?")
_DATE = re.compile(r"[\d\- ]{0,20}")


def text_change(old: str | None, new: str | None, fingerprint: Fingerprint) -> dict:
    """Return what the log records about a written field's change: lengths and a hash."""
    return {"old_length": len(old or ""), "new_length": len(new or ""), "hash": fingerprint(new)}


def is_grade(definition: TemplateDefinition, key: str, value: str | None) -> bool:
    """Return True when the stored value is a grade (safe to log), False for written text."""
    if value is None:
        return True
    if key == OVERALL:
        return _in_scale(definition, definition.overall.scale, value)
    if key.endswith(JUDGEMENT_SUFFIX):
        section_key = key.removesuffix(JUDGEMENT_SUFFIX)
        section = next((s for s in definition.sections if s.key == section_key), None)
        judgement = section.judgement if section else None
        return judgement is not None and _in_scale(definition, judgement.scale, value)
    criterion = definition.criterion(key)
    if criterion is None:
        return False
    match criterion.type:
        case "scale":
            return value == NOT_APPLICABLE or (
                criterion.scale is not None and _in_scale(definition, criterion.scale, value)
            )
        case "tags":
            try:
                tags = json.loads(value)
            except ValueError:
                return False
            known = {o.value for o in criterion.options}
            return isinstance(tags, list) and all(t in known for t in tags)
        case "number":
            return value == NOT_APPLICABLE or bool(_NUMBER.fullmatch(value))
        case "date":
            return value == NOT_APPLICABLE or bool(_DATE.fullmatch(value))
        case _:
            return False


def answer_change(
    definition: TemplateDefinition,
    key: str,
    old: tuple[str | None, str | None],
    new: tuple[str | None, str | None],
    fingerprint: Fingerprint,
) -> tuple[dict, Revisions]:
    """Return the log entry for an answer whose (value, rationale) changed from ``old`` to
    ``new``, and the written text to keep as revisions."""
    (old_value, old_rationale), (new_value, new_rationale) = old, new
    change: dict = {"criterion": key}
    revisions: Revisions = []
    if old_value != new_value:
        if is_grade(definition, key, old_value) and is_grade(definition, key, new_value):
            change |= {"old": old_value, "new": new_value}
        else:
            change["answer"] = text_change(old_value, new_value, fingerprint)
            revisions.append((f"answer:{key}", new_value))
    elif is_grade(definition, key, new_value):
        # An unchanged grade is named so the entry still says what the answer is.
        change |= {"old": old_value, "new": new_value}
    change["rationale_changed"] = old_rationale != new_rationale
    if old_rationale != new_rationale:
        change["rationale"] = text_change(old_rationale, new_rationale, fingerprint)
        revisions.append((f"rationale:{key}", new_rationale))
    return change, revisions


def _in_scale(definition: TemplateDefinition, scale_key: str, value: str) -> bool:
    scale = definition.scales.get(scale_key)
    return scale is not None and scale.option(value) is not None
