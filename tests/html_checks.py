"""Checks every rendered page must pass (GOV.UK habits): one h1, a title that starts with it,
``Error: `` in the title exactly when an error summary is shown, and no duplicate ids."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.h1_texts: list[str] = []
        self.title = ""
        self.has_error_summary = False
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if "govuk-error-summary" in (attributes.get("class") or "").split():
            self.has_error_summary = True
        if tag in ("h1", "title"):
            self._in = tag
            if tag == "h1":
                self.h1_texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h1":
            self.h1_texts[-1] += data
        elif self._in == "title":
            self.title += data


def check_page(html: str) -> _PageParser:
    """Assert the page is well formed and return what was parsed, for further checks."""
    page = _PageParser()
    page.feed(html)
    assert len(page.h1_texts) == 1, f"expected one h1, found {page.h1_texts}"
    heading = " ".join(page.h1_texts[0].split())
    title = " ".join(page.title.split())
    expected_start = ("Error: " if page.has_error_summary else "") + heading
    assert title.startswith(expected_start), f"title {title!r} should start with {expected_start!r}"
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    return page


def without_tokens(html: str) -> str:
    """Return the page with its nonces and CSRF token values blanked: they differ per rendering
    (a CSRF token carries the second it was signed), so two renderings compare without them."""
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
    return re.sub(r'(name="csrf_token"[^>]*?value=")[^"]+"', r'\1"', html)
