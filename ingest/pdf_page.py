"""One PDF page to text: the steps of the other pdf_* modules put together, in order
(columns, fields, panels, tables, paragraphs), and PDFium's plain text as the fallback.

Separate from pdf.py, which opens documents and handles their failures: this module is the
only one that imports every layout step, so none of them has to import another's caller."""

from __future__ import annotations

import re

from .pdf_columns import _beside_fields, _column_groups
from .pdf_panels import _panel_lines, _panels
from .pdf_prose_columns import column_paragraphs, prose_columns
from .pdf_rows import Page, Row, _pieces, _rows, _words
from .pdf_table_cells import (Columns, _has_header, _header_over, _on_grid, _Table, _table, columns_carried_over,
                              table_columns)
from .pdf_table_spans import _is_list, _is_table, _paragraph_above, _runs_on, _split_at_gaps, _table_spans
from .pdf_text import HEADING_MARK, _line_gap, _text_lines

# ---------------------------------------------------------------------------------------------
# The page


def _page_blocks(page: Page, rows: list[Row], line_gap: float) -> list[tuple[str, list[Row]]]:
    """Split the page's rows into ("table", rows) and ("text", rows) blocks, in order."""
    blocks: list[tuple[str, list[Row]]] = []
    done = 0
    for first, last in _table_spans(page, rows, line_gap):
        for part in _split_at_gaps(page, rows[first : last + 1], line_gap):
            start = rows.index(part[0], done)
            lead = _paragraph_above(page, part)  # its lines are read as text
            part, start = part[lead:], start + lead
            if not _is_table(part, rows, start) or _is_list(page, part) or _runs_on(page, part):
                continue
            if start > done:
                blocks.append(("text", rows[done:start]))
            blocks.append(("table", part))
            done = start + len(part)
    if done < len(rows):
        blocks.append(("text", rows[done:]))
    return blocks


def _blocks(page: Page, rows: list[Row], line_gap: float, as_text: bool) -> list[tuple[str, list[Row]]]:
    """The rows as ("panel" | "table" | "text", rows) blocks, in order."""
    if as_text:
        return [("text", rows)]
    blocks: list[tuple[str, list[Row]]] = []
    for kind, segment in _panels(page, rows, line_gap):
        blocks += [(kind, segment)] if kind == "panel" else _page_blocks(page, segment, line_gap)
    return blocks


def page_text(textpage, carried: Columns | None = None) -> tuple[str, Columns | None]:
    """One page's text: paragraphs separated by blank lines, table rows as tabbed lines;
    vertical text (margin notes), in PDFium's order, at the end. With it, the columns of the
    page's last table, for a table the next page may continue; `carried` is the last table's of
    the page before (rule "a continued table keeps its columns")."""
    text = textpage.get_text_range()
    words = _words(textpage, text)
    if not words:
        return _plain_text(textpage), None
    page = Page(text, words, textpage.page, textpage)
    pieces = _pieces(text, words)
    upright = [p for p in pieces if not p.turned]
    out: list[str] = []
    last: Columns | None = None  # the columns of the page's last table so far
    for column in _column_groups(upright) if upright else []:
        rows = _rows(page, column)
        line_gap = _line_gap(rows)
        for group, as_text in _beside_fields(page, rows, line_gap):
            header: _Table | None = None  # the last table with a header, if only tables follow it
            header_at = 0  # where its lines are in `out`
            for kind, segment in _blocks(page, group, line_gap, as_text):
                if out:
                    out.append("")
                if kind != "table":
                    header = None
                    out.extend((_panel_lines if kind == "panel" else _text_lines)(page, segment, line_gap))
                    continue
                # A table may continue the one before it, on this page or the page before.
                columns = columns_carried_over(page, segment, table_columns(page, segment), last or carried)
                table = _table(page, segment, line_gap, columns)
                if prose_columns(table.cells):  # rule "columns of prose are not a table"
                    header = None
                    out.extend("\n\n".join(column_paragraphs(table.cells)).split("\n"))
                    continue
                if _has_header(table):
                    names = _header_over(header, table) if header is not None else None
                    if names is not None:  # rule "a header cut off above its table"
                        out[header_at : header_at + len(names.cells)] = ["\t".join(line) for line in names.cells]
                    header, header_at = table, len(out)
                elif header is not None:
                    # The chunker reads adjacent tables as one, under the first one's header.
                    table = _on_grid(table, header) or table
                last = columns
                out.extend("\t".join(line) for line in table.cells)
    _foot_is_text(out)
    turned = " ".join(page.piece_text(p) for p in pieces if p.turned)
    if turned:
        out += ["", turned] if out else [turned]
    return "\n".join(out), last


def _foot_is_text(out: list[str]) -> None:
    """Headings at the foot of a page name nothing under them: they are a signature ("Jane
    Smith" over "Corporate Director of Finance"), and stay text. (Word keeps a heading with the
    paragraph after it, so a real one is seldom a page's last line.) Rule "a bold line standing
    alone is a heading", pdf_text.py."""
    for i in range(len(out) - 1, -1, -1):
        if out[i] and not out[i].startswith(HEADING_MARK):
            return
        out[i] = out[i][len(HEADING_MARK):] if out[i] else out[i]


def _plain_text(textpage) -> str:
    return "\n".join(line.strip() for line in re.split(r"\r\n|\r|\n", textpage.get_text_range()))
