"""PDF pages to text with PDFium (pypdfium2), rebuilt from the text's geometry.

Why PDFium rather than pypdf: on the 1,545 Kent pages it extracts text in 4 s against pypdf's
71 s (measured here, benchmarks/parse_engines.py), and it is the engine the source viewer uses to
render pages and find a quote's boxes, so the words we index are the words we highlight.
pypdf stays as the fallback for files PDFium refuses but pypdf can still read.

Why geometry: PDFium's plain text follows the content stream, so a budget table drawn column
by column comes out as a list of numbers far from its headers, and paragraphs are not marked.
We keep PDFium's words, and their order within each run of text, but place the runs by their
boxes (loose character boxes of each word's ends): runs on one baseline form a line, wide gaps
split a line into cells, lines whose cells share column gutters form a table (one line per row,
cells joined by a tab, empty cells kept so values stay under their headers, wrapped cells joined
back into their row), and a vertical gap wider than the page's line spacing or a change of font
size starts a paragraph (a blank line). Pages in columns of prose are read column by column.
Only whitespace is ever added, removed or changed; the cost is about 3x the plain text (8 s for
the Kent pages). A table row joins text PDFium keeps apart, so a row is not always one
contiguous run of get_text_range(); each cell usually is."""

from __future__ import annotations

import ctypes
import io
import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import pypdfium2
import pypdfium2.raw as pdfium_c

from .errors import UnreadableFile
from .readers import RawDocument

log = logging.getLogger(__name__)

# A page with fewer characters than this is treated as having no text layer.
MIN_PAGE_CHARS = 20

# Distances in units of the text height h (the font's loose box height, about 1.1 em).
CELL_GAP = 0.9  # a wider horizontal gap separates cells; word spaces are about 0.25
SPLIT_GAP = 0.6  # the same between text PDFium already puts on separate lines
BULLET_GAP = 4.0  # a bullet this close to the text after it is part of it
WIDE_GAP = 2.5  # a lone line with a gap this wide is still a (key/value) table row
PARA_GAP = 0.45  # whitespace above a line, beyond the page's usual line gap, for a paragraph
MID_GUTTER = 0.6  # a gutter this wide between words of two rows or more
NARROW_GUTTER = 0.25  # a narrower gutter between aligned columns (three rows or more)
TABLE_ROW_GAP = 3.0  # a larger vertical gap ends a table, unless a multi-cell row follows
LOOKAHEAD_ROWS = 3  # one-cell lines a table may span before its next multi-cell row
MAX_CAPTION_ROWS = 3  # lines of a panel's caption (a name wrapped twice, a rating beside it)
MAX_CAPTION_WORDS = 40

# "Latest: 71%", "Target: 85%, Floor: 80%": a short label, a colon, a value.
LABELLED = re.compile(r"^[A-Z][\w ()/&'’.-]{0,30}:\s*\S")

# "Ask for:", "Telephone:": a field's label standing alone, its value in the cell after it.
FIELD_LABEL = re.compile(r"^[A-Z][\w ()/&'’.-]{0,25}:$")

FIGURE = re.compile(r"^[(£$€+\-–]*\d[\d,.]*[%)kmbn]*$")
TOKEN = re.compile(r"\S+")
LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
SYMBOLS = "•●▪■◦○‣⁃∙·\\-–—*>oØ§\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf0e0"
SYMBOL_BULLET = re.compile(f"^[{SYMBOLS}]$")
BULLET = re.compile(  # a list marker on its own
    "^(?:[" + SYMBOLS + "]"  # •, -
    r"|\d{1,3}(?:\.\d{1,3})+\.?"  # 4.2, 4.2.1
    r"|\(?\d{1,3}\.?\)|\d{1,3}\."  # 1), (1), 1.), 1.
    r"|\(?[a-zA-Z]\.?\)|[a-zA-Z]\."  # a), (a), b.), a.
    r"|\(?[ivxIVX]{1,5}\.?\))$"  # (iv), iv)
)


@dataclass
class Piece:
    """Words first..last (indexes into the page's words) from one PDFium line, without a wide
    gap between them. Its text runs from its first word to where the next piece starts."""

    first: int
    last: int
    x0: float
    x1: float
    y0: float  # bottom (PDF y grows upwards)
    y1: float  # top
    stop: int = 0  # text index where the next piece starts
    turned: bool = False  # set vertically

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass
class Row:
    """Pieces on one baseline, left to right, grouped into cells at wide gaps."""

    pieces: list[Piece]
    cells: list[list[Piece]] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0
    h: float = 0.0
    boxes: list | None = None  # cache for _row_boxes
    spans: list | None = None  # cache for _row_spans
    edges: tuple | None = None  # cache for _row_edges


@dataclass
class Page:
    text: str  # PDFium's text
    words: list[tuple]  # see _words, in PDFium's order
    pdf_page: object = None  # pypdfium2 PdfPage, for the rules of tables
    _rules: list | None = None

    def rules(self) -> list[tuple[float, float, float]]:
        """(y, x0, x1) of thin horizontal lines (table borders; shaded boxes are left out, as
        Word shades each line of a cell), read only for pages that have a table."""
        if self._rules is None:
            self._rules = []
            raw = self.pdf_page.raw if self.pdf_page is not None else None
            box = [ctypes.c_float() for _ in range(4)]
            refs = [ctypes.byref(v) for v in box]
            for i in range(pdfium_c.FPDFPage_CountObjects(raw) if raw else 0):
                obj = pdfium_c.FPDFPage_GetObject(raw, i)
                if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
                    continue
                if pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
                    x0, y0, x1, y1 = (v.value for v in box)
                    if x1 - x0 > 5 and y1 - y0 < 2.5:
                        self._rules.append(((y0 + y1) / 2, x0, x1))
        return self._rules

    def span(self, piece: Piece, first: int, last: int) -> str:
        """Text of words first..last of a piece, whitespace normalised; text without a box
        that follows them (or precedes the page's first word) is included."""
        begin = self.words[first][0] if first else 0
        end = self.words[last + 1][0] if last < piece.last else piece.stop
        return " ".join(self.text[begin:end].split())

    def piece_text(self, piece: Piece) -> str:
        return self.span(piece, piece.first, piece.last)

    def cell_text(self, cell: list[Piece]) -> str:
        return " ".join(self.piece_text(p) for p in cell)


# ---------------------------------------------------------------------------------------------
# Words and pieces


def _words(textpage, text: str) -> list[tuple]:
    """(start, end, x0, x1, y0, y1, after_line_break, turned) per run of non-space text, boxed
    by the loose boxes of its first and last characters. `turned` marks text set vertically
    (its last character sits below or above its first), as in rotated margin notes. Runs
    without a box are left out; Page.span keeps their text with the word before them."""
    identity = len(text) == textpage.count_chars()
    to_char = pdfium_c.FPDFText_GetCharIndexFromTextIndex
    loose_box, raw, rect = pdfium_c.FPDFText_GetLooseCharBox, textpage.raw, pdfium_c.FS_RECTF()
    words, prev_end, turned = [], 0, False
    for match in TOKEN.finditer(text):
        start, end = match.span()
        spaced = start == prev_end + 1 and text[prev_end] == " "
        new_line = not spaced and LINE_BREAK.search(text, prev_end, start) is not None
        prev_end = end
        if not loose_box(raw, start if identity else to_char(raw, start), rect):
            continue
        x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
        turned = turned and not new_line and end - start == 1
        if end - start > 1 and loose_box(raw, end - 1 if identity else to_char(raw, end - 1), rect):
            turned = (rect.top <= y0 or rect.bottom >= y1) and abs(rect.left - x0) < x1 - x0
            if rect.top > rect.bottom and not turned and rect.right > x0:
                x1 = rect.right  # (a word hyphenated across lines keeps its first line's box)
        if y1 - y0 > 0.01:
            words.append((start, end, x0, x1, y0, y1, new_line, turned))
    return words


def _pieces(text: str, words: list[tuple]) -> list[Piece]:
    """Cut PDFium's lines into pieces at line breaks, wide gaps, jumps back and baseline
    shifts; vertical text forms pieces of its own."""
    pieces: list[Piece] = []
    if not words:
        return pieces
    first, _, px0, px1, py0, py1, _, pturned = words[0]
    begin, mid = 0, py0 + py1
    for i in range(1, len(words)):
        start, _, x0, x1, y0, y1, new_line, turned = words[i]
        h = max(y1 - y0, py1 - py0)
        gap = x0 - px1
        apart = gap > CELL_GAP * h or gap < -0.5 * h or abs(y0 + y1 - mid) > 1.2 * h
        if turned != pturned or new_line or (apart and not turned):
            pieces.append(Piece(begin, i - 1, px0, px1, py0, py1, start, pturned))
            begin, px0, px1, py0, py1, pturned = i, x0, x1, y0, y1, turned
        else:
            px0 = x0 if x0 < px0 else px0
            px1 = x1 if x1 > px1 else px1
            py0 = y0 if y0 < py0 else py0
            py1 = y1 if y1 > py1 else py1
        mid = y0 + y1
    pieces.append(Piece(begin, len(words) - 1, px0, px1, py0, py1, len(text), pturned))
    return pieces


# ---------------------------------------------------------------------------------------------
# Rows and cells


def _rows(page: Page, pieces: list[Piece]) -> list[Row]:
    """Pieces to visual lines, top to bottom: a piece joins the line being built when their
    vertical extents overlap by 40% of the smaller height."""
    rows: list[Row] = []
    for piece in sorted(pieces, key=lambda p: (-(p.y0 + p.y1), p.x0)):
        row = rows[-1] if rows else None
        if row and min(row.y1, piece.y1) - max(row.y0, piece.y0) >= 0.4 * min(row.h, piece.h):
            row.pieces.append(piece)
            if piece.h > row.h:
                row.y0, row.y1, row.h = piece.y0, piece.y1, piece.h
        else:
            rows.append(Row([piece], y0=piece.y0, y1=piece.y1, h=piece.h))
    for row in rows:
        row.pieces.sort(key=lambda p: p.x0)
        row.cells = _cells(page, row.pieces)
        row.y0 = min(p.y0 for p in row.pieces)
        row.y1 = max(p.y1 for p in row.pieces)
    return rows


def _cells(page: Page, pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces to cells at wide gaps (narrower between pieces PDFium keeps on separate lines);
    a symbol bullet stays with the text after it."""
    cells, right = [[pieces[0]]], pieces[0].x1
    for piece in pieces[1:]:
        prev = cells[-1][-1]
        gap, h = piece.x0 - right, max(piece.h, prev.h)
        same_line = piece.first == prev.last + 1 and not page.words[piece.first][6]
        wide = gap > (CELL_GAP if same_line else SPLIT_GAP) * h
        if wide and not (gap < BULLET_GAP * h and _is_symbol(page, cells[-1])):
            cells.append([piece])
        else:
            cells[-1].append(piece)
        right = max(right, piece.x1)
    return cells


def _is_symbol(page: Page, cell: list[Piece]) -> bool:
    start, end = page.words[cell[0].first][:2]
    alone = len(cell) == 1 and cell[0].first == cell[0].last
    return alone and SYMBOL_BULLET.match(page.text[start:end]) is not None


def _x0(row: Row) -> float:
    return row.pieces[0].x0


def _x1(row: Row) -> float:
    return max(p.x1 for p in row.pieces)


# ---------------------------------------------------------------------------------------------
# Tables


def _table_spans(rows: list[Row], line_gap: float) -> list[tuple[int, int]]:
    """(first, last) row indexes of runs that may be tables: rows of two or more cells, and
    around them one-cell rows that start at an inner column (wrapped or vertically centred
    cells), and between them a few short one-cell rows (group labels, wrapped first cells)."""
    width = max(_x1(r) for r in rows) - min(_x0(r) for r in rows)
    spans, i = [], 0
    while i < len(rows):
        if len(rows[i].cells) < 2:
            i += 1
            continue
        last, j = i, i + 1
        left, starts = _x0(rows[i]), {c[0].x0 for c in rows[i].cells}
        while j < len(rows) and j - last <= LOOKAHEAD_ROWS:
            row = rows[j]
            if rows[j - 1].y0 - row.y1 > TABLE_ROW_GAP * row.h and len(row.cells) < 2:
                break
            if len(row.cells) >= 2:
                last, left = j, min(left, _x0(row))
                starts.update(c[0].x0 for c in row.cells)
            elif _inner(row, left, starts):
                last = j
            elif _x1(row) - _x0(row) > 0.6 * width:
                break
            j += 1
        spans.append((_extend_up(rows, i, spans[-1][1] + 1 if spans else 0, line_gap), last))
        i = last + 1
    return spans


def _extend_up(rows: list[Row], first: int, floor: int, line_gap: float) -> int:
    """Take in the one-cell lines just above a table's first multi-cell row that start at
    one of its inner cells (the top of a vertically centred cell)."""
    top, left = {c[0].x0 for c in rows[first].cells}, _x0(rows[first])
    while first > floor and _inner(rows[first - 1], left, top):
        if _paragraph_gap(rows[first - 1], rows[first], line_gap):
            break
        first -= 1
    return first


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
    words on both sides of it."""
    multi = [r for r in rows if len(r.cells) >= 2]
    h = sorted(r.h for r in multi)[len(multi) // 2]
    tolerance = max(1 if len(multi) >= 3 else 0, len(multi) // 10)

    def gutter(start: float, end: float) -> tuple[float, float, bool] | None:
        width, wide = end - start, end - start >= CELL_GAP * h
        if (
            wide
            or (width >= MID_GUTTER * h and _support(page, multi, start, end, h, figure=False) >= 2)
            or (width >= NARROW_GUTTER * h and _support(page, multi, start, end, h) >= 3)
        ):
            return (start, end, wide)
        return None

    gutters = []
    for empty, whole in _free_ranges(_coverage(page, multi), tolerance):
        found = [g for g in (gutter(*r) for r in empty) if g]
        spanned = whole and _support(page, multi, *whole, h, figure=False) >= max(2, len(multi) // 3)
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


def _support(page: Page, rows: list[Row], gap_start: float, gap_end: float, h: float, figure: bool = True) -> int:
    """How many rows (counting to three) have words within 2h on both sides of a gap (one of
    them a figure, if asked)."""
    count = 0
    for row in rows:
        ends, end_figs, starts, start_figs = _row_edges(page, row)
        left = end_figs[bisect_left(ends, gap_start - 2 * h) : bisect_right(ends, gap_start + 0.01)]
        right = start_figs[bisect_left(starts, gap_end - 0.01) : bisect_right(starts, gap_end + 2 * h)]
        count += bool(left and right and (not figure or any(left) or any(right)))
        if count >= 3:
            break
    return count


def _row_edges(page: Page, row: Row) -> tuple[list, list, list, list]:
    """A row's word right edges and left edges, each sorted, with their is-a-figure flags."""
    if row.edges is None:
        boxes = _row_boxes(page, row)
        ends, starts = sorted((x1, fig) for _, x1, fig in boxes), sorted((x0, fig) for x0, _, fig in boxes)
        row.edges = ([e for e, _ in ends], [f for _, f in ends], [s for s, _ in starts], [f for _, f in starts])
    return row.edges


def _runs(page: Page, row: Row, gutters: list, starts: list[float]) -> list[tuple[int, int, int, str]]:
    """A row cut into (column, first word, last word, text) runs: a piece splits between two
    words that lie on both sides of a gutter (a title spanning columns stays whole)."""
    runs, words = [], page.words
    for piece in row.pieces:
        begin, col = piece.first, _column(starts, words[piece.first][2])
        for i in range(piece.first + 1, piece.last + 1):
            if any(words[i - 1][3] - 0.5 <= g0 and g1 <= words[i][2] + 0.5 for g0, g1, _ in gutters):
                runs.append((col, begin, i - 1, page.span(piece, begin, i - 1)))
                begin, col = i, _column(starts, words[i][2])
        runs.append((col, begin, piece.last, page.span(piece, begin, piece.last)))
    return runs


def _column(starts: list[float], x: float) -> int:
    return max(bisect_right(starts, x + 0.5) - 1, 0)


@dataclass
class _Table:
    cells: list[list[str]]  # one list of cells per table row, empty cells kept
    centres: list[float]  # each column's middle, between the gutters around it


def _table(page: Page, rows: list[Row], line_gap: float) -> _Table:
    """Rows to lines with one cell per column; the visual lines of one table row (wrapped or
    vertically centred cells) are joined into one."""
    gutters = _gutters(page, rows)
    starts = [_left_edge(page, rows)] + [g[1] for g in gutters]
    runs = [_runs(page, row, gutters, starts) for row in rows]
    borders = _borders(page, starts, rows[0].h)
    ruled = [any(b.y1 <= y <= a.y0 for y in borders) for a, b in zip(rows, rows[1:])]
    by_rules = _rows_by_rules(runs, ruled)
    words = {w for line in runs for _, first, last, _ in line for w in range(first, last + 1)}
    state = _TableState(pending=words, first_word=min(words))
    table: list[list[str]] = []
    for i, line_runs in enumerate(runs):
        if i == 0 or _figure_clash(table[-1], line_runs):
            new = True
        elif by_rules:
            new = ruled[i - 1] or (len(table) == 1 and _data_after_header(table[-1], line_runs))
        else:
            gap = _paragraph_gap(rows[i - 1], rows[i], line_gap)
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
    return _Table(table, [(start + end) / 2 for start, end in zip(starts, ends)])


def _has_header(table: _Table) -> bool:
    """Is the first line a header: two names or more, and no figure beside its first cell?
    A lone cell is the end of a row cut off by the block above."""
    first = table.cells[0]
    return sum(1 for cell in first if cell) >= 2 and not any(FIGURE.match(cell) for cell in first[1:])


def _on_grid(table: _Table, header: _Table) -> _Table | None:
    """A table continued below its header, on the same page, in columns that the reader cut
    differently (a budget sheet's rows, 9 cells, under a header of 7): each column moves into
    the header's column that its middle falls in, so figures meet their own column names
    (read by position, "27.3" sat under "2027-28" when it was printed under "2025-26").
    Only a block with figures in two columns of a row is moved: a page footer ("... | SR1 |
    21/02/2025 | 9") or a list of names below a table is not part of it. None when two
    figures would land in one column: then the grids do not match."""
    if not any(sum(1 for cell in line if FIGURE.match(cell)) >= 2 for line in table.cells):
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


def _data_after_header(line: list[str], runs: list) -> bool:
    """In a ruled table, a line filling every column, with figures in two of them or more,
    below a first row of words only that names every column (the header), is the first data
    row even when no rule was found under the header (a continuation page's header): joined,
    its cells became column names ("Row ref 95") and every row below was read against them.
    Lower down, or under a first line that leaves columns empty, a label wrapped above its
    figures ("Older People -" over "Residential Care 97.5 124.9") is one row."""
    header_like = all(line) and not any(FIGURE.match(cell.rsplit(" ", 1)[-1]) for cell in line)
    fills_every_column = len({col for col, *_ in runs}) == len(line)
    figure_cells = sum(1 for _, _, _, text in runs if FIGURE.match(text))
    return header_like and fills_every_column and figure_cells >= 2


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


def _borders(page: Page, starts: list[float], h: float) -> list[float]:
    """Heights of the table's borders: thin horizontal lines that start at (or just left of)
    a column. Underlines start at words and sit inside the line's box, above its bottom."""
    return [y for y, x0, _ in page.rules() if any(x - 1.5 * h <= x0 <= x + 0.2 * h for x in starts)]


# ---------------------------------------------------------------------------------------------
# Paragraphs and the page


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


def _page_blocks(page: Page, rows: list[Row], line_gap: float) -> list[tuple[str, list[Row]]]:
    """Split the page's rows into ("table", rows) and ("text", rows) blocks, in order."""
    blocks: list[tuple[str, list[Row]]] = []
    done = 0
    for first, last in _table_spans(rows, line_gap):
        for part in _split_at_gaps(page, rows[first : last + 1], line_gap):
            start = rows.index(part[0], done)
            if not _is_table(part, rows, start) or _is_list(page, part) or _runs_on(page, part):
                continue
            if start > done:
                blocks.append(("text", rows[done:start]))
            blocks.append(("table", part))
            done = start + len(part)
    if done < len(rows):
        blocks.append(("text", rows[done:]))
    return blocks


def _text_lines(page: Page, rows: list[Row], line_gap: float) -> list[str]:
    """Lines of text; a blank line between paragraphs, and before a list that follows text
    without a gap (its items stay together, one per line, as in the plain-text corpus)."""
    out: list[str] = []
    right = max(_x1(r) for r in rows)
    in_list = False
    for i, row in enumerate(rows):
        bullet = _bullet(page, row)
        if i and _new_paragraph(rows[i - 1], row, line_gap):
            out.append("")
            in_list = bullet
        elif i and bullet and not in_list and _ended(page, rows[i - 1], right):
            out.append("")
            in_list = True
        in_list = in_list or bullet
        out.append(" ".join(page.cell_text(cell) for cell in row.cells))
    return out


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


# ---------------------------------------------------------------------------------------------
# Columns of prose


def _column_groups(pieces: list[Piece], depth: int = 0) -> list[list[Piece]]:
    """A page set in columns of prose, written column after column, is read as the text
    across the columns at the top, the left column, the right column (each split again once
    if it holds two columns), then the text across at the bottom. Anything else (tables
    included: their cells are short, or written row by row) is one group."""
    left, right = min(p.x0 for p in pieces), max(p.x1 for p in pieces)
    h = sorted(p.h for p in pieces)[len(pieces) // 2]
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


# ---------------------------------------------------------------------------------------------
# The page


def _blocks(page: Page, rows: list[Row], line_gap: float, as_text: bool) -> list[tuple[str, list[Row]]]:
    """The rows as ("panel" | "table" | "text", rows) blocks, in order."""
    if as_text:
        return [("text", rows)]
    blocks: list[tuple[str, list[Row]]] = []
    for kind, segment in _panels(page, rows, line_gap):
        blocks += [(kind, segment)] if kind == "panel" else _page_blocks(page, segment, line_gap)
    return blocks


def page_text(textpage) -> str:
    """One page's text: paragraphs separated by blank lines, table rows as tabbed lines;
    vertical text (margin notes), in PDFium's order, at the end."""
    text = textpage.get_text_range()
    words = _words(textpage, text)
    if not words:
        return _plain_text(textpage)
    page = Page(text, words, textpage.page)
    pieces = _pieces(text, words)
    upright = [p for p in pieces if not p.turned]
    out: list[str] = []
    for column in _column_groups(upright) if upright else []:
        rows = _rows(page, column)
        line_gap = _line_gap(rows)
        for group, as_text in _beside_fields(page, rows, line_gap):
            header: _Table | None = None  # the last table with a header, if only tables follow it
            for kind, segment in _blocks(page, group, line_gap, as_text):
                if out:
                    out.append("")
                if kind != "table":
                    header = None
                    out.extend((_panel_lines if kind == "panel" else _text_lines)(page, segment, line_gap))
                    continue
                table = _table(page, segment, line_gap)
                if _has_header(table):
                    header = table
                elif header is not None:
                    # The chunker reads adjacent tables as one, under the first one's header.
                    table = _on_grid(table, header) or table
                out.extend("\t".join(line) for line in table.cells)
    turned = " ".join(page.piece_text(p) for p in pieces if p.turned)
    if turned:
        out += ["", turned] if out else [turned]
    return "\n".join(out)


def _plain_text(textpage) -> str:
    return "\n".join(line.strip() for line in re.split(r"\r\n|\r|\n", textpage.get_text_range()))


# ---------------------------------------------------------------------------------------------
# Documents


def _reason_from_pdfium(exc: Exception) -> str:
    message = str(exc)
    if "password" in message.lower():
        return "the PDF is encrypted (password protected)"
    if "format" in message.lower() or "file" in message.lower():
        return "the PDF is corrupt or not a PDF (PDFium could not parse it)"
    return f"the PDF could not be opened ({message})"


def _pdfium_pages(data: bytes) -> tuple[list[str], str | None]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(_layout_or_plain(textpage, index))
            finally:
                textpage.close()
                page.close()
        return pages, title
    finally:
        pdf.close()


def _layout_or_plain(textpage, index: int) -> str:
    """The rebuilt page, or PDFium's plain text should the layout code fail on a page."""
    try:
        return page_text(textpage)
    except Exception:  # a layout bug must not lose a page's text
        log.warning("layout failed on page %d; using plain text", index + 1, exc_info=True)
        return _plain_text(textpage)


def _pypdf_pages(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise UnreadableFile("the PDF is encrypted (password protected)")
    return [page.extract_text() or "" for page in reader.pages]


def read_pdf(data: bytes) -> RawDocument:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableFile("not a PDF: the file does not start with %PDF")
    title = None
    try:
        pages, title = _pdfium_pages(data)
    except pypdfium2.PdfiumError as exc:
        reason = _reason_from_pdfium(exc)
        if "encrypted" in reason:
            raise UnreadableFile(reason) from exc
        try:
            pages = _pypdf_pages(data)
            log.info("PDFium failed (%s); read with pypdf instead", exc)
        except UnreadableFile:
            raise
        except Exception as fallback_exc:  # pypdf raises many types on broken files
            raise UnreadableFile(reason) from fallback_exc
    pages = [p.replace("\r\n", "\n").replace("\r", "\n") for p in pages]
    if not pages:
        raise UnreadableFile("the PDF has no pages")
    if sum(len(p.strip()) for p in pages) < MIN_PAGE_CHARS:
        raise UnreadableFile(
            "the PDF has no text layer (scanned images?); run it through OCR first"
        )
    return RawDocument(format="pdf", pages=pages, title_hint=title, paged=True)
