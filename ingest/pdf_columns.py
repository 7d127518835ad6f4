"""Side-by-side parts of a PDF page, cut apart before its rows are read: columns of prose
(read column after column, not line across line), and text set beside a column of labelled
fields (an agenda's meeting details beside its contact details).

Separate because both work on the page's geometry ahead of the row-by-row reading, and
neither depends on the table or panel code."""

from __future__ import annotations

from .pdf_rows import BULLET, FIELD_LABEL, FIGURE, LABELLED, Page, Piece, Row, _rows, median_height
from .pdf_text import _paragraph_gap

# ---------------------------------------------------------------------------------------------
# Columns of prose


def _column_groups(pieces: list[Piece], depth: int = 0) -> list[list[Piece]]:
    """A page set in columns of prose, written column after column, is read as the text
    across the columns at the top, the left column, the right column (each split again once
    if it holds two columns), then the text across at the bottom. Anything else (tables
    included: their cells are short, or written row by row) is one group."""
    left, right = min(p.x0 for p in pieces), max(p.x1 for p in pieces)
    h = median_height(pieces)
    for gutter in _gaps(pieces, left + 0.15 * (right - left), right - 0.15 * (right - left), h):
        groups = _split_columns(pieces, gutter)
        if groups:
            above, sides, below = groups
            columns = [g for side in sides for g in (_column_groups(side, 1) if depth == 0 else [side])]
            return [group for group in [above] + columns + [below] if group]
    return [pieces]


def _gaps(pieces: list[Piece], low: float, high: float, min_width: float) -> list[tuple[float, float]]:
    """x-ranges at least min_width wide, whose middle lies between low and high, crossed by
    the fewest pieces around them (titles across columns may cross); least crossed first."""
    tolerance = max(2, len(pieces) // 20)
    events = sorted([(p.x0, 1) for p in pieces] + [(p.x1, -1) for p in pieces])
    segments, depth = [], 0
    for (x, step), (nxt, _) in zip(events, events[1:]):
        depth += step
        if nxt > x:
            segments.append((x, nxt, depth))
    gaps, run = [], []
    for segment in segments + [(0.0, 0.0, tolerance + 1)]:
        if segment[2] <= tolerance:
            run.append(segment)
            continue
        if run:
            least = min(d for _, _, d in run)
            valley = _widest_run([(a, b) for a, b, d in run if d == least])
            if valley[1] - valley[0] >= min_width and low <= sum(valley) / 2 <= high:
                gaps.append((least, valley[0] - valley[1], valley))
        run = []
    return [g[2] for g in sorted(gaps)]


def _widest_run(ranges: list[tuple[float, float]]) -> tuple[float, float]:
    """The widest union of touching ranges (given left to right)."""
    merged = [list(ranges[0])]
    for a, b in ranges[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return tuple(max(merged, key=lambda r: r[1] - r[0]))


def _split_columns(pieces: list[Piece], gutter: tuple[float, float]):
    """(above, [left, right], below) when the gutter parts two columns of prose that PDFium
    reads one after the other, with nothing crossing it between their tops and bottoms."""
    sides = [[p for p in pieces if p.x1 <= gutter[0]], [p for p in pieces if p.x0 >= gutter[1]]]
    if not all(_prose(side) for side in sides):
        return None
    side_of = {id(p): k for k, side in enumerate(sides) for p in side}
    order = [side_of[id(p)] for p in pieces if id(p) in side_of]
    if sum(a != b for a, b in zip(order, order[1:])) > 3:
        return None
    top = max(p.y1 for side in sides for p in side)
    bottom = min(p.y0 for side in sides for p in side)
    across = [p for p in pieces if id(p) not in side_of]
    above = [p for p in across if p.y0 >= top - 0.5 * p.h]
    below = [p for p in across if p.y1 <= bottom + 0.5 * p.h]
    if len(above) + len(below) < len(across):
        return None
    return above, sides, below


# ---------------------------------------------------------------------------------------------
# Text beside a column of fields


def _beside_fields(page: Page, rows: list[Row], line_gap: float) -> list[tuple[list[Row], bool]]:
    """Cut out a column of labelled fields set beside text: on an agenda's first page the
    contact details ("Ask for: / Telephone: / Email:") beside the meeting's date, time and
    venue. Read row by row, the fields cut each line of the text in two ("at 3.00 pm (or on
    the rising of Full<tab>Council,<tab>Ask for:<tab>Georgina Little"), and the date became a
    table's column header. Returns (rows, read as text) groups: the rows above, the text
    beside the fields (always prose: its justified word gaps are not cells), the fields, the
    rows below. Anything else is one group."""
    labels = [(i, p) for i, row in enumerate(rows) for p in _side_labels(page, row)]
    for _, label in labels:
        aligned = [(i, p) for i, p in labels if abs(p.x0 - label.x0) < 0.5 * label.h]
        if len(aligned) < 2:
            continue
        edge = min(p.x0 for _, p in aligned) - 0.25 * label.h
        first, last = _field_band(rows, aligned[0][0], aligned[-1][0], line_gap)
        band = [p for row in rows[first : last + 1] for p in row.pieces]
        if any(p.x0 < edge < p.x1 for p in band):
            return [(rows, False)]  # text runs across the fields' edge: not a side column
        beside = [p for p in band if p.x1 <= edge]
        fields = [p for p in band if p.x0 >= edge]
        if not _plain_words(page, beside):
            return [(rows, False)]  # a form (labels on both sides), a list or a table
        groups = [(rows[:first], False), (_rows(page, beside), True), (_rows(page, fields), False), (rows[last + 1 :], False)]
        return [(group, as_text) for group, as_text in groups if group]
    return [(rows, False)]


def _side_labels(page: Page, row: Row) -> list[Piece]:
    """Labels in a row that stand after other text and before their value ("... at 3.00 pm
    | Ask for: | Georgina Little"), not at its start or the end of the row."""
    texts = [page.piece_text(p) for p in row.pieces]
    return [row.pieces[k] for k in range(1, len(texts) - 1)
            if FIELD_LABEL.match(texts[k]) and not FIELD_LABEL.match(texts[k + 1])]


def _plain_words(page: Page, pieces: list[Piece]) -> bool:
    """Words of running text: no labels, list markers or bare figures among them."""
    texts = [page.piece_text(p) for p in pieces]
    return bool(texts) and not any(
        LABELLED.match(t) or FIELD_LABEL.match(t) or BULLET.match(t.split()[0]) or FIGURE.match(t) for t in texts)


def _field_band(rows: list[Row], first: int, last: int, line_gap: float) -> tuple[int, int]:
    """The rows of the block holding the fields: from the first to the last label, widened
    up and down to the paragraph gaps around it."""
    while first > 0 and not _paragraph_gap(rows[first - 1], rows[first], line_gap):
        first -= 1
    while last + 1 < len(rows) and not _paragraph_gap(rows[last], rows[last + 1], line_gap):
        last += 1
    return first, last


def _prose(pieces: list[Piece]) -> bool:
    """Many pieces, mostly of three words or more."""
    long = sum(p.last - p.first >= 2 for p in pieces)
    return long >= 5 and long >= 0.5 * len(pieces)
