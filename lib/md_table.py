"""Markdown tables that reflow on a phone: Learn's food table, as HTML whose cells carry their column's name.

A wide table does not fit a 390-px phone (it made the page 404 px wide at 100 % text, 803 px at 200 %).
``split`` cuts a section's Markdown into text and tables; ``table_html`` draws a table as an HTML table
whose every cell has ``data-label="<column name>"``. On a wide screen it is a table as before; below 640 px
the app's style (lib/ui/text_fit.py) shows each row as one block, each value after its column's name.

Cell text is escaped: only ``**bold**``, ``*italic*`` and ``` `code` ``` become markup. Plain Python.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def split(markdown: str) -> list[str | Table]:
    """The Markdown in order: runs of text (str) and tables (Table). A table is a header row, a rule row
    (``| --- |``) and body rows, each starting and ending with ``|``."""
    lines = markdown.split("\n")
    out: list[str | Table] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and _ROW.match(lines[i]) and _RULE.match(lines[i + 1]):
            header = _cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and _ROW.match(lines[i]):
                rows.append(_cells(lines[i]))
                i += 1
            if text:
                out.append("\n".join(text))
                text = []
            out.append(Table(header, rows))
            continue
        text.append(lines[i])
        i += 1
    if text:
        out.append("\n".join(text))
    return [part for part in out if not isinstance(part, str) or part.strip()]


def _inline(text: str) -> str:
    s = html.escape(text.replace("\\|", "|"))
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*(?!\*)", r"<em>\1</em>", s)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", s)


def table_html(table: Table) -> str:
    """One line of HTML (a blank line would end it inside Markdown): a table whose cells name their column."""
    labels = [html.escape(re.sub(r"[*`]", "", h), quote=True) for h in table.header]
    head = "".join(f"<th>{_inline(h)}</th>" for h in table.header)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{labels[i] if i < len(labels) else ""}">{_inline(c)}</td>'
                         for i, c in enumerate(row)) + "</tr>"
        for row in table.rows)
    return f'<table class="mg-reflow"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
