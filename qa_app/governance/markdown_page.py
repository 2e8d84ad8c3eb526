"""Markdown documents (the data protection page) rendered with GOV.UK classes. No Flask here."""

from __future__ import annotations

from markdown_it import MarkdownIt

CLASSES = {
    "table_open": "govuk-table",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
}
HEADINGS = {"h1": "govuk-heading-l", "h2": "govuk-heading-m", "h3": "govuk-heading-s"}


def render_markdown(text: str) -> tuple[str, str]:
    """Return the document's first heading and its HTML (raw HTML in the source is escaped)."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(text)
    title = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("class", HEADINGS.get(token.tag, "govuk-heading-s"))
            if token.tag == "h1" and not title:
                title = tokens[index + 1].content
        elif token.type in CLASSES:
            token.attrSet("class", CLASSES[token.type])
        if token.children:
            for child in token.children:
                if child.type in CLASSES:
                    child.attrSet("class", CLASSES[child.type])
    return title, parser.renderer.render(tokens, parser.options, {})
