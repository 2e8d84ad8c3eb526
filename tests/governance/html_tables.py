"""Reading a page's table as a list of {heading: cell text} rows (lxml, already a dependency)."""

from __future__ import annotations

import lxml.html


def table_rows(html: str, table_id: str) -> list[dict[str, str]]:
    """Return the body rows of the table with this id, keyed by its column headings."""
    document = lxml.html.fromstring(html)
    table = document.get_element_by_id(table_id)
    headings = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")]
    rows = []
    for tr in table.xpath("./tbody/tr"):
        cells = [" ".join(td.text_content().split()) for td in tr.xpath("./td|./th")]
        if len(cells) == len(headings):
            rows.append(dict(zip(headings, cells, strict=True)))
    return rows


def page_text(html: str) -> str:
    """Return the page's visible text with whitespace collapsed."""
    return " ".join(lxml.html.fromstring(html).text_content().split())
