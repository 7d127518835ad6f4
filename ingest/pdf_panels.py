"""Labelled figures under a caption on a PDF page (the boxes of a performance dashboard): a
row of "Label: value" cells with its short caption above, read as one paragraph, not a table.

Separate because panels are cut out of the rows before tables are looked for, and have their
own way of writing lines; they share only the row shapes and the paragraph gap."""

from __future__ import annotations

import re

from .pdf_rows import LABELLED, MAX_CAPTION_ROWS, MAX_CAPTION_WORDS, Page, Row
from .pdf_text import _paragraph_gap

# ---------------------------------------------------------------------------------------------
# Labelled figures under a caption (performance dashboards)


def _labelled(page: Page, row: Row) -> bool:
    """Is every cell of the row a label with its value ("Latest: 71%", "Target: 85%, Floor:
    80%")? Such a row names its own figures, so it needs no column headers."""
    cells = [page.cell_text(cell) for cell in row.cells]
    labels = sum(LABELLED.match(cell) is not None for cell in cells)
    # A colon may be missing from one cell ("Previous 5,473 (Amber)"); it still holds a figure.
    figures = all(LABELLED.match(cell) or re.search(r"\d", cell) for cell in cells)
    return figures and any(re.search(r"\d", cell) for cell in cells) and labels >= max(2, len(cells) - 1)


def _all_labelled(page: Page, row: Row) -> bool:
    return all(LABELLED.match(page.cell_text(cell)) for cell in row.cells)


def _panels(page: Page, rows: list[Row], line_gap: float) -> list[tuple[str, list[Row]]]:
    """Cut out panels: a row of two or more labelled figures with the short caption just above
    it (the indicator's name and its RAG rating in a dashboard box, a chart between them).
    Read as a table, the caption became a header row and the figures a row apart from the
    name they measure; as a panel both stay in one paragraph. Everything else is ("rows", ...)
    for _page_blocks."""
    out: list[tuple[str, list[Row]]] = []
    done, i = 0, 0
    while i < len(rows):
        if len(rows[i].cells) < 2 or not _labelled(page, rows[i]):
            i += 1
            continue
        first = _caption_top(page, rows, i, max(done, 0), line_gap)
        last = i
        while last + 1 < len(rows) and _all_labelled(page, rows[last + 1]) and not _paragraph_gap(rows[last], rows[last + 1], line_gap):
            last += 1  # a value wrapped under its cell ("Floor: 90%")
        if first is None:
            i = last + 1
            continue
        if first > done:
            out.append(("rows", rows[done:first]))
        out.append(("panel", rows[first : last + 1]))
        done = i = last + 1
    if done < len(rows):
        out.append(("rows", rows[done:]))
    return out


def _caption_top(page: Page, rows: list[Row], i: int, floor: int, line_gap: float) -> int | None:
    """Index of the first caption row above the labelled row i: up to three rows without a
    paragraph gap between them, none of them labelled or the end of a sentence, and
    short (a name, not prose); None when there is no such caption."""
    first, words = i, 0
    while first > floor and i - first < MAX_CAPTION_ROWS:
        row = rows[first - 1]
        if first < i and _paragraph_gap(row, rows[first], line_gap):
            break
        words += sum(p.last - p.first + 1 for p in row.pieces)
        if any(LABELLED.match(page.cell_text(c)) for c in row.cells) or words > MAX_CAPTION_WORDS:
            return None  # labels above labels are a form (contact details, signatures)
        if len(row.cells) > 2 or (len(row.cells) == 2 and len(page.cell_text(row.cells[1]).split()) > 2):
            return None  # a caption is a name and at most a rating beside it, not table cells
        if page.text[page.words[max(row.pieces, key=lambda p: p.last).last][1] - 1] in ".;!?":
            return None  # prose
        first -= 1
    # The caption must start a box: whitespace (or nothing) above it.
    boxed = first == floor or _paragraph_gap(rows[first - 1], rows[first], line_gap)
    return first if first < i and boxed else None


def _panel_lines(page: Page, rows: list[Row], line_gap: float) -> list[str]:
    """The caption in PDFium's order (which, inside a box, is the order it was written: the
    name, wrapped over two lines, then the rating set beside it), then the figures, each on
    one line without tabs so that the chunker reads them as text."""
    caption = [r for r in rows if not _labelled(page, r) and not _all_labelled(page, r)]
    pieces = sorted((p for r in caption for p in r.pieces), key=lambda p: p.first)
    lines = [" ".join(page.piece_text(p) for p in pieces)] if pieces else []
    return lines + [" ".join(page.cell_text(c) for c in r.cells) for r in rows if r not in caption]
