"""What an auditor has entered, as plain data the domain rules work on.

A :class:`Response` holds one answer as typed: a scale option's value, ``"na"``, an ISO date, a
number as text, free text, or a list of tag values, with its written rationale. Responses are keyed
by criterion key, by ``<section>.judgement`` for section judgements, and by ``OVERALL`` for the
overall judgement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

OVERALL = "overall"
JUDGEMENT_SUFFIX = ".judgement"


def judgement_key(section_key: str) -> str:
    """Return the response key of a section's judgement."""
    return section_key + JUDGEMENT_SUFFIX


@dataclass
class Response:
    value: str | None = None
    rationale: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def is_answered(self) -> bool:
        return bool(self.tags) or bool(self.value and self.value.strip())


Responses = dict[str, Response]


def encode_value(response: Response) -> str | None:
    """Return the text stored for a response's value (tags are kept as a JSON list)."""
    if response.tags:
        return json.dumps(response.tags)
    value = (response.value or "").strip()
    return value or None


def decode_value(stored: str | None, is_tags: bool) -> Response:
    """Return a Response from a stored value (without its rationale)."""
    if is_tags:
        try:
            tags = json.loads(stored) if stored else []
        except ValueError:
            tags = []
        return Response(tags=[str(t) for t in tags] if isinstance(tags, list) else [])
    return Response(value=stored)


def parse_date_parts(day: str, month: str, year: str) -> tuple[date | None, str | None]:
    """Return ``(date, None)`` for a real date, ``(None, None)`` when all parts are empty, or
    ``(None, problem)`` where the problem completes a sentence such as "… must be a real date".
    """
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        return None, None
    missing = [name for name, value in parts.items() if not value]
    if missing:
        return None, "must include a " + " and ".join(missing)
    if not all(value.isdigit() for value in parts.values()):
        return None, "must be a real date, written in numbers"
    if len(parts["year"]) != 4:
        return None, "must include a 4-digit year"
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), None
    except ValueError:
        return None, "must be a real date"


def parse_number(text: str) -> float | None:
    """Return the number written in the text, or None when it is not a number."""
    try:
        number = float(text.strip().replace(",", ""))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None
