"""Rows of a PDF page read as running text: the page's usual line spacing, where paragraphs
start (a wider gap or a change of size) and where lists start.

Separate because the table, panel and column steps all ask the same question, "is there a
paragraph gap between these rows?", and import it from here rather than from each other."""

from __future__ import annotations

import re

from .headings import capitals_title
from .pdf_rows import BULLET, PARA_GAP, Page, Row, _x1

# Rule "a bold line standing alone is a heading": a paragraph of a short line or two, set in bold,
# that reads as a title (a capital first, no closing stop or colon, not in capitals: those are
# titles by rule already, ingest/headings.py) names the section below it. Passed on as a
# Markdown heading, which ingest/clean.py reads as one. Unnumbered headings in sentence case
# ("Approved counterparties") had been read as text, so the paragraphs and table under them
# belonged to no section.
HEADING_MARK = "### "  # how a heading is passed on (Markdown, ingest/clean.py)
HEADING_LINES = 2
HEADING_WORDS = 12
HEADING_CHARS = 90
TITLE_LIKE = re.compile(r"^[A-Z][^.,;:!?]*[^.,;:!?\s]$")
# A title names a thing; a line with a verb like these says something ("The Plan was submitted
# for examination on 17 May 2024", set in bold on a cover) and stays text, where it is quoted.
STATEMENT_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|shall|can|may|must)\b")

# ---------------------------------------------------------------------------------------------
# Paragraphs


def _line_gap(rows: list[Row]) -> float:
    """The page's usual whitespace between consecutive lines (a low quantile, so that pages
    of short paragraphs still show their paragraph gaps; never below zero)."""
    gaps = sorted(a.y0 - b.y1 for a, b in zip(rows, rows[1:]))
    return max(gaps[len(gaps) // 4], 0.0) if gaps else 0.0


def _paragraph_gap(prev: Row, row: Row, line_gap: float) -> bool:
    return prev.y0 - row.y1 - line_gap > PARA_GAP * row.h


def _new_paragraph(prev: Row, row: Row, line_gap: float) -> bool:
    """A paragraph starts after a gap wider than the usual line gap or at a change of size."""
    return _paragraph_gap(prev, row, line_gap) or abs(prev.h - row.h) > 0.15 * max(prev.h, row.h)


def _bullet(page: Page, row: Row) -> bool:
    """Does the line start with a list marker (•, 1., (a), 4.2 ...) followed by text?"""
    first = row.pieces[0]
    start, end = page.words[first.first][:2]
    more = first.last > first.first or len(row.pieces) > 1
    return more and BULLET.match(page.text[start:end]) is not None


def _ended(page: Page, row: Row, right: float) -> bool:
    """Did a line end short of the right margin or with a stop?"""
    last = page.words[row.pieces[-1].last]
    return _x1(row) < right - 3 * row.h or page.text[last[1] - 1] in ".:;!?"


def _text_lines(page: Page, rows: list[Row], line_gap: float) -> list[str]:
    """Lines of text; a blank line between paragraphs, and before a list that follows text
    without a gap (its items stay together, one per line, as in the plain-text corpus); a
    short bold paragraph as a Markdown heading (rule "a bold line standing alone is a heading")."""
    out: list[str] = []
    right = max(_x1(r) for r in rows)
    in_list = False
    starts = [i for i, row in enumerate(rows) if not i or _new_paragraph(rows[i - 1], row, line_gap)]
    opens = set(starts)  # the lines that open a paragraph
    # {first line of a paragraph that is a heading: (its text, its lines)}
    titles = {s: (title, e - s) for s, e in zip(starts, starts[1:] + [len(rows)]) if (title := _bold_title(page, rows[s:e]))}
    titled, skip = False, 0  # whether the paragraph before was a heading; its lines left to skip
    for i, row in enumerate(rows):
        if skip:
            skip -= 1
            continue
        title, lines = titles.get(i, ("", 1))
        if title and titled and _wrapped(rows[i - 1], row):
            out[-1] = f"{out[-1]} {title}"  # a heading set large, its lines a paragraph gap apart
            skip = lines - 1
            continue
        titled = bool(title)
        bullet = _bullet(page, row)
        if i and i in opens:
            out.append("")
            in_list = bullet
        elif i and bullet and not in_list and _ended(page, rows[i - 1], right):
            out.append("")
            in_list = True
        in_list = in_list or bullet
        if title:
            out.append(f"{HEADING_MARK}{title}")
            skip = lines - 1
        else:
            out.append(" ".join(page.cell_text(cell) for cell in row.cells))
    return out


def _wrapped(prev: Row, row: Row) -> bool:
    """Is a line the next line of the one before, in the same size: less than a line's height
    below it? (A title wrapped onto two lines is one heading, however wide its line spacing.)"""
    return abs(prev.h - row.h) <= 0.15 * max(prev.h, row.h) and prev.y0 - row.y1 < row.h


def _bold_title(page: Page, lines: list[Row]) -> str:
    """A paragraph's text when rule "a bold line standing alone is a heading" (above) makes
    it one (at most HEADING_LINES lines of one cell, all bold, reading as a title), else ""."""
    if len(lines) > HEADING_LINES or any(len(row.cells) != 1 for row in lines):
        return ""
    text = " ".join(page.cell_text(row.cells[0]) for row in lines)
    titled = (len(text) <= HEADING_CHARS and len(text.split()) <= HEADING_WORDS and TITLE_LIKE.match(text)
              and not STATEMENT_VERB.search(text) and not capitals_title(text))
    return text if titled and all(page.bold(row.pieces[0].first, row.pieces[-1].last) for row in lines) else ""
