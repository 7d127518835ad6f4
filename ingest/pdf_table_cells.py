"""Reading a table found by pdf_table_spans.py into lines of cells, one cell per column:
words split at the gutters, visual lines joined into table rows (by the table's borders, or
by PDFium's reading order where there are none), a table continued under an earlier
header moved onto that header's columns, and a table continued from the page before cut at
that table's columns (`columns_carried_over`).

Separate because it is the other half of the table code, and each half is long enough on
its own; this half only needs the gutters from the finding half, never the other way round."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .pdf_rows import FIGURE, MID_GUTTER, Page, Row, _one_band, _x1, median_height
from .pdf_table_spans import _gutters, _left_edge
from .pdf_text import _paragraph_gap


def _runs(page: Page, row: Row, gutters: list, starts: list[float]) -> list[tuple[int, int, int, str]]:
    """A row cut into (column, first word, last word, text) runs: a piece splits between two
    words that lie on both sides of a gutter (a title spanning columns stays whole). A run's
    column is found from the whole run, as a word's is (`_column`): a header "Total Cost of"
    that starts in the gutter before its column, its first word short, lies mostly past it."""
    runs, words = [], page.words

    def run(piece, first: int, last: int) -> tuple[int, int, int, str]:
        extent = (first, last, words[first][2], words[last][3])
        return (_column(starts, gutters, extent), first, last, page.span(piece, first, last))

    for piece in row.pieces:
        begin = piece.first
        for i in range(piece.first + 1, piece.last + 1):
            if any(words[i - 1][3] - 0.5 <= g0 and g1 <= words[i][2] + 0.5 for g0, g1, _ in gutters):
                runs.append(run(piece, begin, i - 1))
                begin = i
        runs.append(run(piece, begin, piece.last))
    return runs


def _column(starts: list[float], gutters: list, word: tuple) -> int:
    """The column a word starts in; a word that starts in a gutter and lies mostly past it
    belongs to the column after it (a right-aligned column's wider line: "30/11/2024" under
    "Actual" in a header of two lines, which the gutter, found from multi-cell rows only,
    does not allow for)."""
    x0, x1 = word[2], word[3]
    col = max(bisect_right(starts, x0 + 0.5) - 1, 0)
    if col < len(gutters) and gutters[col][0] < x0 and x1 - gutters[col][1] > gutters[col][1] - x0:
        return col + 1
    return col


@dataclass
class _Table:
    cells: list[list[str]]  # one list of cells per table row, empty cells kept
    centres: list[float]  # each column's middle, between the gutters around it
    # each column's printed extent (x0, x1): from its leftmost word's start to its rightmost
    # word's end, (inf, -inf) for a column no word is in
    extents: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Columns:
    """Where a table's columns are: its left edge and the gutters between its columns."""

    left: float
    gutters: list  # (start, end, wide), left to right


def table_columns(page: Page, rows: list[Row]) -> Columns:
    return Columns(_left_edge(page, rows), _gutters(page, rows))


EDGE_SLACK = 3.0  # points: the same left edge, printed on another page


def columns_carried_over(page: Page, rows: list[Row], own: Columns, carried: Columns | None) -> Columns:
    """Rule "a continued table keeps its columns": a table continued on the next page, or below
    a wrapped cell read as text, read alone may find fewer gutters than its columns have (a few
    rows of figures set tight against the words beside them, "12,480.5 Day Services"), which
    glued a figure to the next column's words in every row and left the rows matching no
    header. When the table before it (`carried`: the last one read, on this page or the page
    before) had more gutters, this one starts in its first column, every gutter it found is among
    them, and no word of this table's lies across the middle of any of them, the table is cut
    at those, each narrowed to the space this page's words leave it.

    Narrow gutters this table found where the table before has none are left out of that count
    (rule "a repeated phrase is not columns"): they rest on the weakest evidence, three rows
    whose words line up across a gap a word space wide, and the same words in a few rows ("£5m
    per fund" under "Lender limit" in three rows) line up exactly, which had cut each row into
    "£5m | per | fund" under three column names."""
    if carried is None:
        return own
    h = median_height(rows)

    def among_carried(gutter: tuple) -> bool:
        return any(c0 <= gutter[1] and gutter[0] <= c1 for c0, c1, _ in carried.gutters)

    found = [g for g in own.gutters if among_carried(g) or g[1] - g[0] >= MID_GUTTER * h]
    if len(carried.gutters) <= len(found):
        return own
    if not carried.left - EDGE_SLACK <= own.left < carried.gutters[0][0]:  # starts in its first column
        return own
    if not all(among_carried(g) for g in found):
        return own
    spans = [(page.words[w][2], page.words[w][3]) for row in rows for piece in row.pieces
             for w in range(piece.first, piece.last + 1)]
    gutters = []
    for c0, c1, wide in carried.gutters:
        middle = (c0 + c1) / 2
        if any(x0 < middle < x1 for x0, x1 in spans):
            return own
        start = max([c0] + [x1 for x0, x1 in spans if c0 < x1 <= middle])
        end = min([c1] + [x0 for x0, x1 in spans if middle <= x0 < c1])
        gutters.append((start, end, wide))
    return Columns(own.left, gutters)


def _table(page: Page, rows: list[Row], line_gap: float, columns: Columns) -> _Table:
    """Rows to lines with one cell per column (`columns`: the rows' own, or those of the table
    they continue, columns_carried_over); the visual lines of one table row (wrapped or
    vertically centred cells) are joined into one."""
    gutters = columns.gutters
    starts = [columns.left] + [g[1] for g in gutters]
    runs = [_runs(page, row, gutters, starts) for row in rows]
    borders = _borders(page, starts, rows[0].h)
    ruled = [any(b.y1 <= y <= a.y0 for y in borders) for a, b in zip(rows, rows[1:])]
    by_rules = _rows_by_rules(runs, ruled)
    line_of = {w: i for i, line in enumerate(runs) for _, first, last, _ in line for w in range(first, last + 1)}
    state = _TableState(pending=set(line_of), first_word=min(line_of))
    table: list[list[str]] = []
    row_line = -1  # the line that a row opened by its cell's first lines (_opens_row_below) ends at
    for i, line_runs in enumerate(runs):
        gap = i > 0 and _paragraph_gap(rows[i - 1], rows[i], line_gap)
        if i == 0 or _figure_clash(table[-1], line_runs):
            new = True
        elif i <= row_line:
            new = False
        elif _one_band(rows[i - 1], rows[i]) and not {c for c, *_ in runs[i - 1]} & {c for c, *_ in line_runs}:
            # Rule "a cell centred on two lines is one table row" (pdf_rows.py): the lines of
            # one band fill different columns. Lines of side-by-side prose that overlap fill the
            # same ones, and stay rows for rule "columns of prose are not a table".
            new = False
        elif by_rules:
            new = ruled[i - 1] or (len(table) == 1 and _data_after_header(table[-1], line_runs, gap))
        else:
            below = _opens_row_below(runs, i, line_of, len(starts))
            if below is not None:
                new, row_line = True, below
            else:
                new = gap or not _continues(table[-1], line_runs, state)
        if new:
            table.append([""] * len(starts))
        line = table[-1]
        for col, first, last, text in line_runs:
            line[col] = f"{line[col]} {text}" if line[col] else text
            for w in range(first, last + 1):
                state.where[w] = (len(table) - 1, col)
                state.pending.discard(w)
        state.current = len(table) - 1
    ends = [g[0] for g in gutters] + [max(_x1(r) for r in rows)]
    extents = [(float("inf"), float("-inf"))] * len(starts)
    for line_runs in runs:
        for col, first, last, _ in line_runs:
            x0, x1 = extents[col]
            extents[col] = (min(x0, page.words[first][2]), max(x1, page.words[last][3]))
    return _Table(table, [(start + end) / 2 for start, end in zip(starts, ends)], extents)


def _has_header(table: _Table) -> bool:
    """Is the first line a header: two names or more, and no figure beside its first cell?
    A lone cell is the end of a row cut off by the block above."""
    first = table.cells[0]
    return sum(1 for cell in first if cell) >= 2 and not any(FIGURE.match(cell) for cell in first[1:])


def _figures_in_two_columns(table: _Table) -> bool:
    """Whether a line of the table has figures in two columns: a table of data, not a page
    footer, a list of names or a glossary."""
    return any(sum(1 for cell in line if FIGURE.match(cell)) >= 2 for line in table.cells)


def _on_grid(table: _Table, header: _Table) -> _Table | None:
    """A table continued below its header, on the same page, in columns that the reader cut
    differently (a budget sheet's rows, 9 cells, under a header of 7): each column moves into
    the header's column that its middle falls in, so figures meet their own column names
    (read by position, "27.3" sat under "2027-28" when it was printed under "2025-26").
    Only a block with figures in two columns of a row is moved: a page footer ("... | SR1 |
    21/02/2025 | 9") or a list of names below a table is not part of it. None when two
    figures would land in one column: then the grids do not match."""
    if not _figures_in_two_columns(table):
        return None
    bounds = [(a + b) / 2 for a, b in zip(header.centres, header.centres[1:])]
    target = [bisect_right(bounds, x) for x in table.centres]
    lines = []
    for line in table.cells:
        moved = [""] * len(header.centres)
        for col, cell in zip(target, line):
            if cell and moved[col] and FIGURE.match(cell) and FIGURE.match(moved[col].rsplit(" ", 1)[-1]):
                return None
            moved[col] = f"{moved[col]} {cell}" if moved[col] and cell else moved[col] or cell
        lines.append(moved)
    return _Table(lines, header.centres)


def _names_only(table: _Table) -> bool:
    """A table of header lines alone: column names, no figure anywhere in it."""
    return not any(FIGURE.match(cell) for line in table.cells for cell in line if cell)


MIN_NAMES = 3  # a line of column names over a table of figures; two are a label and its value


def _header_over(header: _Table, table: _Table) -> _Table | None:
    """Rule "a header cut off above its table": a line of column names set apart from its
    table by a gap is read as a table of its own, its columns cut by its own words alone, and
    the table below (with header lines of its own, "Year 1", "£000s") in its columns, which may
    be one more: joined by position, names stood over the column to the left of their own
    ("Prior Years Spend" over the total cost). So the names are moved onto the table's columns,
    cut from all its rows: each name heads the column, of those its words overlap, holding the
    most figures (a name centred over a right-aligned column and the unit beside it heads the
    figures).

    Only lines of MIN_NAMES names or more (not "Cabinet Member | Jane Doe" above a summary)
    over a table with figures in two columns of a row (not a glossary of terms). None when a
    name lies over no column, or two over one: then nothing is moved."""
    if not _names_only(header) or not table.extents or any(sum(1 for c in line if c) < MIN_NAMES for line in header.cells):
        return None
    if not _figures_in_two_columns(table):
        return None
    figures = [sum(1 for line in table.cells if k < len(line) and FIGURE.match(line[k])) for k in range(len(table.centres))]
    lines = []
    for line in header.cells:
        moved = [""] * len(table.centres)
        for cell, (a, b) in zip(line, header.extents):
            if not cell:
                continue
            overlaps = [(figures[k], min(b, d) - max(a, c), k) for k, (c, d) in enumerate(table.extents) if min(b, d) > max(a, c)]
            if not overlaps or moved[max(overlaps)[2]]:
                return None
            moved[max(overlaps)[2]] = cell
        lines.append(moved)
    return _Table(lines, table.centres, table.extents)


@dataclass
class _TableState:
    pending: set  # words of the table not placed yet
    where: dict = field(default_factory=dict)  # placed word -> (table line, column)
    current: int = 0
    first_word: int = 0  # the table's first word in PDFium's order


def _rows_by_rules(runs: list[list], ruled: list[bool]) -> bool:
    """Do borders delimit the rows? True when there are rules between lines at least half as
    often as PDFium's order starts a new row (a line whose text follows text of an earlier
    line in another column); budget sheets ruled only under headers and totals are not."""
    seen: dict[int, tuple[int, int]] = {}
    row_starts = 0
    for i, line_runs in enumerate(runs):
        preds = [seen.get(first - 1) for col, first, _, _ in line_runs]
        row_starts += any(p is not None and p[0] < i and p[1] != col for p, (col, *_) in zip(preds, line_runs))
        for col, first, last, _ in line_runs:
            seen.update(dict.fromkeys(range(first, last + 1), (i, col)))
    return sum(ruled) >= max(1, 0.5 * row_starts)


def _figure_clash(line: list[str], runs: list) -> bool:
    """Would a figure be appended to a figure? Then it is a new row."""
    def ends_in_figure(text: str) -> bool:
        return FIGURE.match(text.rsplit(" ", 1)[-1]) is not None

    return any(line[col] and FIGURE.match(text) and ends_in_figure(line[col]) for col, _, _, text in runs)


def _data_after_header(line: list[str], runs: list, gap: bool) -> bool:
    """In a ruled table, a line filling every column, with figures in two of them or more,
    below a first row of words only that names every column (the header), is the first data
    row even when no rule was found under the header (a continuation page's header): joined,
    its cells became column names ("Row ref 95") and every row below was read against them.
    So is any line a paragraph gap below such a header (a header set in a filled box has no
    rule under it; a wrapped header's lines are set close). Lower down, or under a first
    line that leaves columns empty, a label wrapped above its figures ("Older People -" over
    "Residential Care 97.5 124.9") is one row."""
    header_like = all(line) and not any(FIGURE.match(cell.rsplit(" ", 1)[-1]) for cell in line)
    fills_every_column = len({col for col, *_ in runs}) == len(line)
    figure_cells = sum(1 for _, _, _, text in runs if FIGURE.match(text))
    return header_like and (gap or (fills_every_column and figure_cells >= 2))


def _continues(line: list[str], runs: list, state: _TableState) -> bool:
    """For tables without borders: does a visual line continue the current row? Not when it
    fills every column (a row of its own, also in tables drawn column by column). Otherwise
    when each run comes, in PDFium's order, right after text of the same line, of the same
    column of the current row (a wrapped cell), of a column to its left while its own is still
    empty (a vertically centred cell), or of a later line of the table (a cell centred against
    a taller one), or when it is the table's first text and the row is the first."""
    if len({col for col, *_ in runs}) == len(line):
        return False
    for col, first, _, _ in runs:
        prev = first - 1
        if any(f <= prev <= l for _, f, l, _ in runs) or prev in state.pending:
            continue
        if first == state.first_word and state.current == 0:
            continue
        placed = state.where.get(prev)
        if placed is None or placed[0] != state.current or placed[1] > col or (placed[1] < col and line[col]):
            return False
    return True


def _opens_row_below(runs: list[list], i: int, line_of: dict[int, int], columns: int) -> int | None:
    """Rule "a cell's first lines set above its row": in a table without borders whose cells are
    centred vertically, a tall cell (a description of four lines beside a name of one) starts
    above the line holding its row's other cells, and its first lines, alone in their column,
    were joined to the row above as a wrapped cell ("Library roof | Replacing the roof Repairs to
    the harbour wall after" above "Harbour wall | winter storms, with new drainage ...").
    Where such lines come, in PDFium's order, right after the row's cells to their left (as a
    word processor writes a row, cell by cell), they belong to that row: returns the index of
    the line that holds those cells when it is a row of its own (it fills every column) and
    every line between is of the tall cell's columns; None otherwise (a cell centred against a
    taller one below it, "Road [1]" under a wrapped name, continues the current row)."""
    own = {col for col, *_ in runs[i]}
    after = {line_of.get(first - 1) for _, first, _, _ in runs[i]} - {i}
    if len(after) != 1:
        return None
    below = after.pop()
    if below is None or below <= i or len({col for col, *_ in runs[below]}) != columns:
        return None
    if any(not {col for col, *_ in runs[k]} <= own for k in range(i + 1, below)):
        return None
    return below


def _borders(page: Page, starts: list[float], h: float) -> list[float]:
    """Heights of the table's borders: thin horizontal lines that start at (or just left of)
    a column. Underlines start at words and sit inside the line's box, above its bottom."""
    return [y for y, x0, _ in page.rules() if any(x - 1.5 * h <= x0 <= x + 0.2 * h for x in starts)]
