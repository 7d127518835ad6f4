"""Finding tables among a PDF page's rows: runs of multi-cell rows, cut at paragraph gaps
and notes, and told apart from lists and justified prose; and the column gutters of a run
(x-ranges no word covers), read from the rows' word boxes.

Separate from pdf_table_cells.py, which turns a run found here into cells: finding decides
which rows are a table, reading decides which row and column each word belongs to."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .pdf_rows import (
    BULLET,
    CELL_GAP,
    FIGURE,
    LOOKAHEAD_ROWS,
    MID_GUTTER,
    NARROW_GUTTER,
    SYMBOL_BULLET,
    TABLE_ROW_GAP,
    WIDE_GAP,
    Page,
    Piece,
    Row,
    _one_band,
    _x0,
    _x1,
    median_height,
)
from .pdf_text import _paragraph_gap

# A column's cells start within this share of a line of its left edge (rule "cells that start in
# line make a column", _gutters).
ALIGNED = 0.25

# ---------------------------------------------------------------------------------------------
# Tables


def _table_spans(page: Page, rows: list[Row], line_gap: float) -> list[tuple[int, int]]:
    """(first, last) row indexes of runs that may be tables: rows of two or more cells, and
    around them one-cell rows that start at an inner column (wrapped or vertically centred
    cells), and between them a few short one-cell rows (group labels, wrapped first cells),
    and below them the lines that continue a cell (see _Columns), however many."""
    width = max(_x1(r) for r in rows) - min(_x0(r) for r in rows)
    spans, i = [], 0
    while i < len(rows):
        if len(rows[i].cells) < 2:
            i += 1
            continue
        last, j = i, i + 1
        left, starts = _x0(rows[i]), {c[0].x0 for c in rows[i].cells}
        columns = _Columns(page, rows, i)
        while j < len(rows) and j - last <= LOOKAHEAD_ROWS:
            row = rows[j]
            if rows[j - 1].y0 - row.y1 > TABLE_ROW_GAP * row.h and len(row.cells) < 2:
                break
            if len(row.cells) >= 2:
                last, left = j, min(left, _x0(row))
                starts.update(c[0].x0 for c in row.cells)
            elif _inner(row, left, starts) or (j == last + 1 and columns.holds(rows[last], row, last)):
                last = j
            elif _x1(row) - _x0(row) > 0.6 * width:
                break
            j += 1
        spans.append((_extend_up(rows, i, spans[-1][1] + 1 if spans else 0, line_gap), last))
        i = last + 1
    return spans


class _Columns:
    """The columns of a table being found (from its multi-cell rows so far), to tell the
    continuation lines of its wrapped cells from text that follows it.

    A cell that wraps leaves lines of one cell under its row: in the label column they start
    at the table's left edge, like a paragraph, and a table with one long label per row ends
    with them. Left out, the end of the label and the rows below it (whose other cells are
    empty) were read as text without their headers."""

    def __init__(self, page: Page, rows: list[Row], first: int):
        self.page, self.rows, self.first = page, rows, first
        self._last, self._starts, self._right = -1, [], 0.0

    def _read(self, last: int) -> None:
        if last == self._last:
            return
        span = self.rows[self.first : last + 1]
        multi = [r for r in span if len(r.cells) >= 2]
        self._starts = [_left_edge(self.page, span)] + [end for _, end, _ in _gutters(self.page, span)]
        self._right, self._last = max(_x1(r) for r in multi), last

    def column(self, x0: float, x1: float, h: float, last: int) -> int | None:
        """The column whose x-range holds x0..x1 (a word may start a little left of its
        column), or None when the range reaches into a neighbouring column."""
        self._read(last)
        k = bisect_right(self._starts, x0 + 0.5 * h) - 1
        if k < 0:
            return None
        end = self._starts[k + 1] if k + 1 < len(self._starts) else self._right + h
        return k if x1 <= end else None

    def holds(self, prev: Row, row: Row, last: int) -> bool:
        """Is a one-cell line, right under the table's last line, the continuation of a cell
        (or a row whose other cells are empty)? When it lies inside one column, under one
        cell of the line above (a run holding two tables blurs the columns), and lines up with
        the text above it there, in the same size: a paragraph after the table crosses the
        columns, a note beside the header starts past it. A line in another size (within
        15%: a bold group label) must start where the text above starts, as a page number
        under a justified cell lines up with its right edge."""
        k = self.column(_x0(row), _x1(row), row.h, last)
        above = [p for p in prev.pieces if self.column(p.x0, p.x1, prev.h, last) == k] if k is not None else []
        if not above:
            return False
        x0, x1, h = min(p.x0 for p in above), max(p.x1 for p in above), row.h
        under = [c for c in prev.cells if c[0].x0 < _x1(row) and max(p.x1 for p in c) > _x0(row)]
        if len(under) != 1 or _x0(row) >= x1 or _x1(row) <= x0:
            return False  # under two cells ("Report author Head of ..." below "Director(s) | Chief ...")
        size = abs(prev.h - row.h) / max(prev.h, row.h)
        left = -0.5 * h <= _x0(row) - x0 <= 2.5 * h  # or a hanging indent, under a bullet
        right = abs(_x1(row) - x1) <= 0.5 * h
        centred = abs(_x0(row) + _x1(row) - x0 - x1) <= 2 * h
        return size <= 0.15 if left else (right or centred) and size <= 0.02


def _extend_up(rows: list[Row], first: int, floor: int, line_gap: float) -> int:
    """Take in the one-cell lines just above a table's first multi-cell row that start at
    one of its inner cells, or right of its first cell in the band of the line below (the top
    of a vertically centred cell: rule "a cell centred on two lines is one table row")."""
    top, left = {c[0].x0 for c in rows[first].cells}, _x0(rows[first])
    while first > floor and (_inner(rows[first - 1], left, top) or _centred_above(rows[first - 1], rows[first], left)):
        if _paragraph_gap(rows[first - 1], rows[first], line_gap):
            break
        first -= 1
    return first


def _centred_above(row: Row, below: Row, left: float) -> bool:
    """A one-cell line right of a table's first column, overlapping the line below it as one
    band (pdf_rows._one_band)."""
    return len(row.cells) == 1 and _x0(row) > left + row.h and _one_band(row, below)


def _inner(row: Row, left: float, starts: set[float]) -> bool:
    """A one-cell row that starts at a column of the table other than the first."""
    aligned = any(abs(_x0(row) - x) < 0.5 * row.h for x in starts)
    return len(row.cells) == 1 and _x0(row) > left + row.h and aligned


def _split_at_gaps(page: Page, rows: list[Row], line_gap: float) -> list[list[Row]]:
    """Cut a run at paragraph-sized vertical gaps, then join the parts again except those
    whose columns the whole run would blur (a second table, key/value lines above a table)
    and sentences laid across the columns (a note under a table)."""
    parts = [[rows[0]]]
    for prev, row in zip(rows, rows[1:]):
        if _paragraph_gap(prev, row, line_gap):
            parts.append([row])
        else:
            parts[-1].append(row)
    if len(parts) == 1:
        return parts
    notes = [i for i, part in enumerate(parts) if _is_note(page, part, parts)]
    kept = [row for i, part in enumerate(parts) if i not in notes for row in part]
    whole = _gutters(page, kept) if _has_multi(kept) else []
    groups: list[tuple[list[Row], bool]] = []
    for i, part in enumerate(parts):
        fits = i not in notes and (not _has_multi(part) or _keeps_gutters(page, part, whole))
        if fits and groups and groups[-1][1]:
            groups[-1][0].extend(part)
        else:
            groups.append((list(part), fits))
    return [group for group, _ in groups]


def _is_note(page: Page, part: list[Row], parts: list[list[Row]]) -> bool:
    """A one-line part holding a sentence (eight words or more) whose words lie across two
    or more wide gutters of the rest of the run."""
    if len(part) != 1 or len(part[0].cells) < 2 or max(p.last - p.first for p in part[0].pieces) < 7:
        return False
    rest = [row for other in parts if other is not part for row in other]
    if not _has_multi(rest):
        return False
    boxes = _row_boxes(page, part[0])
    wide = [g for g in _gutters(page, rest) if g[2]]
    return sum(any(x0 < end - 0.5 and x1 > start + 0.5 for x0, x1, _ in boxes) for start, end, _ in wide) >= 2


def _row_boxes(page: Page, row: Row) -> list[tuple[float, float, bool]]:
    """(x0, x1, is a figure) of a row's words; a bullet reaches to the word after it."""
    if row.boxes is None:
        row.boxes = []
        for cell in row.cells:
            indexes = [i for p in cell for i in range(p.first, p.last + 1)]
            for k, i in enumerate(indexes):
                start, end, x0, x1 = page.words[i][:4]
                word = page.text[start:end]
                if k + 1 < len(indexes) and SYMBOL_BULLET.match(word):
                    x1 = max(x1, page.words[indexes[k + 1]][2])
                row.boxes.append((x0, x1, FIGURE.match(word) is not None))
    return row.boxes


def _row_spans(page: Page, row: Row) -> list[list[float]]:
    """The x-ranges a row's words cover, merged, left to right."""
    if row.spans is None:
        boxes = sorted(_row_boxes(page, row))
        row.spans = [[boxes[0][0], boxes[0][1]]]
        for x0, x1, _ in boxes[1:]:
            if x0 <= row.spans[-1][1]:
                row.spans[-1][1] = max(row.spans[-1][1], x1)
            else:
                row.spans.append([x0, x1])
    return row.spans


def _keeps_gutters(page: Page, part: list[Row], whole: list[tuple[float, float, bool]]) -> bool:
    """Does every wide gutter of a part overlap one of the given gutters?"""
    wide = [(start, end) for start, end, is_wide in _gutters(page, part) if is_wide]
    return all(any(s < end and e > start for s, e, _ in whole) for start, end in wide)


def _has_multi(rows: list[Row]) -> bool:
    return any(len(r.cells) >= 2 for r in rows)


def _is_table(part: list[Row], rows: list[Row], start: int) -> bool:
    """Two multi-cell rows make a table; one makes a table when a gap in it is very wide and
    it is not a justified line of a paragraph (a line above or below with the same edges)."""
    multi = [r for r in part if len(r.cells) >= 2]
    if len(multi) != 1:
        return len(multi) >= 2
    row = multi[0]
    gaps = [b[0].x0 - max(p.x1 for p in a) for a, b in zip(row.cells, row.cells[1:])]
    near = rows[max(start - 1, 0) : start + len(part) + 1]
    justified = any(
        len(r.cells) == 1 and abs(_x0(r) - _x0(row)) < row.h and abs(_x1(r) - _x1(row)) < 2 * row.h for r in near
    )
    return max(gaps) > WIDE_GAP * row.h and not justified


def _is_list(page: Page, rows: list[Row]) -> bool:
    """Numbered or bulleted paragraphs with a hanging indent look like a two-column table
    whose first column holds only markers: they are text."""
    def marker(cell: list[Piece]) -> bool:
        return len(cell) == 1 and BULLET.match(page.piece_text(cell[0])) is not None

    return all(all(marker(c) for c in r.cells[:-1]) for r in rows if len(r.cells) >= 2)


def _paragraph_above(page: Page, rows: list[Row]) -> int:
    """Rule "a numbered paragraph is not a table's first row": how many of a run's first rows
    are a numbered paragraph (a marker, its text beside it, the text's further lines starting
    where it starts) with the rest of the run, a table, set inside the paragraph's text column
    (nothing of it in the markers' column). Reports number their paragraphs this way and put a
    paragraph's table right under it; read as one table, the paragraph became the header row
    and the table's own header a row of data. 0 when the run does not start so."""
    first = rows[0]
    if len(first.cells) != 2 or not _is_list(page, [first]):
        return 0
    text_x, h = first.cells[1][0].x0, first.h
    lead = 1
    while lead < len(rows) and len(rows[lead].cells) == 1 and abs(_x0(rows[lead]) - text_x) < 0.5 * h:
        lead += 1
    rest = rows[lead:]
    if not _has_multi(rest) or any(_x0(r) < text_x - 0.5 * h for r in rest):
        return 0
    return lead


def _runs_on(page: Page, rows: list[Row]) -> bool:
    """Does every wide gap follow a comma? Then the lines are justified prose (the list of
    members present, set with wide spaces), not cells: as a table its first line became a
    header. (Words in lower case after a gap are no sign: "yes" answers a question cell.)"""
    gaps = [page.cell_text(a) for r in rows for a in r.cells[:-1]]
    return bool(gaps) and all(left.endswith(",") for left in gaps)


def _left_edge(page: Page, rows: list[Row]) -> float:
    return min(p.x0 for r in rows if len(r.cells) >= 2 for p in r.pieces)


def _gutters(page: Page, rows: list[Row]) -> list[tuple[float, float, bool]]:
    """(start, end, wide) of the column gutters: x-ranges that no word of a multi-cell row
    covers. Wide ones are kept always; fairly narrow ones when two rows have words close on
    both sides; narrow ones (tight numeric columns) when three rows do, one of them a figure.
    Where a stretch between columns has no such range but only one row covers it (a header
    spanning two columns, in a table of three rows or more), the stretch, if other rows have
    words on both sides of it. Rule "cells that start in line make a column": a fairly narrow
    range is a gutter too when every row starts a word right at its end (a cell of prose run
    almost up to the next column, left-aligned, in a form; read as one run, its line and the
    next column's were joined into one sentence of both)."""
    multi = [r for r in rows if len(r.cells) >= 2]
    h = median_height(multi)
    tolerance = max(1 if len(multi) >= 3 else 0, len(multi) // 10)

    def gutter(start: float, end: float) -> tuple[float, float, bool] | None:
        width, wide = end - start, end - start >= CELL_GAP * h
        if (
            wide
            or (width >= MID_GUTTER * h and _support(page, multi, start, end, h, figure=False) >= 2)
            or (width >= NARROW_GUTTER * h and _support(page, multi, start, end, h) >= 3)
            # rule "cells that start in line make a column": every row has words before the gap
            # and one starting right at its end
            or (width >= MID_GUTTER * h and len(multi) >= 2 and _support(
                page, multi, start, end, h, figure=False, enough=len(multi), left_reach=None, right_reach=ALIGNED) == len(multi))
        ):
            return (start, end, wide)
        return None

    gutters = []
    for empty, whole in _free_ranges(_coverage(page, multi), tolerance):
        found = [g for g in (gutter(*r) for r in empty) if g]
        # A third of the rows: counted that far (counted only to three, a table of twelve rows
        # or more could never have a header spanning two columns).
        needed = max(2, len(multi) // 3)
        spanned = whole and _support(page, multi, *whole, h, figure=False, enough=needed) >= needed
        if not found and spanned:
            found = [g for g in [gutter(*whole)] if g]
        gutters += found
    return gutters


def _coverage(page: Page, rows: list[Row]) -> list[tuple[float, float, int]]:
    """(x0, x1, rows covering) segments across the rows' words, left to right."""
    events = []
    for row in rows:
        for x0, x1 in _row_spans(page, row):
            events += [(x0, 1), (x1, -1)]
    events.sort()
    segments, depth = [], 0
    for (x, step), (nxt, _) in zip(events, events[1:] + [(events[-1][0], 0)]):
        depth += step
        if nxt > x:
            segments.append((x, nxt, depth))
    return segments


def _free_ranges(segments: list[tuple[float, float, int]], tolerance: int) -> list[tuple[list, tuple | None]]:
    """Per stretch covered by at most `tolerance` rows: its uncovered ranges, and the whole
    stretch when it lies between columns."""
    out, stretch = [], []
    if not segments:
        return out
    for segment in segments + [(segments[-1][1], segments[-1][1], -1)]:
        if 0 <= segment[2] <= tolerance:
            stretch.append(segment)
            continue
        if stretch:
            inside = stretch[0][0] > segments[0][0] and segment[2] >= 0
            empty = [(x0, x1) for x0, x1, depth in stretch if depth == 0]
            out.append((empty, (stretch[0][0], stretch[-1][1]) if inside else None))
        stretch = []
    return out


def _support(page: Page, rows: list[Row], gap_start: float, gap_end: float, h: float, figure: bool = True,
             enough: int = 3, left_reach: float | None = 2.0, right_reach: float = 2.0) -> int:
    """How many rows (counting to `enough`) have words on both sides of a gap (one of them a
    figure, if asked): ending within `left_reach` lines before it (None: anywhere before it) and
    starting within `right_reach` lines after it."""
    count = 0
    for row in rows:
        ends, end_figs, starts, start_figs = _row_edges(page, row)
        first = 0 if left_reach is None else bisect_left(ends, gap_start - left_reach * h)
        left = end_figs[first : bisect_right(ends, gap_start + 0.01)]
        right = start_figs[bisect_left(starts, gap_end - 0.01) : bisect_right(starts, gap_end + right_reach * h)]
        count += bool(left and right and (not figure or any(left) or any(right)))
        if count >= enough:
            break
    return count


def _row_edges(page: Page, row: Row) -> tuple[list, list, list, list]:
    """A row's word right edges and left edges, each sorted, with their is-a-figure flags."""
    if row.edges is None:
        boxes = _row_boxes(page, row)
        ends, starts = sorted((x1, fig) for _, x1, fig in boxes), sorted((x0, fig) for x0, _, fig in boxes)
        row.edges = ([e for e, _ in ends], [f for _, f in ends], [s for s, _ in starts], [f for _, f in starts])
    return row.edges
