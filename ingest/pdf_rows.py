"""The first step of reading a PDF page: PDFium's characters to words, words to pieces (runs of
words without a wide gap), pieces to rows (visual lines) and rows to cells. Also the shapes
every later step works on (Piece, Row, Page) and the distances and patterns they all share.

Separate from pdf.py so that each later step (paragraphs, tables, panels, columns) can build on
these shapes without importing one another or the document-level reader."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

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
# Lines that overlap by this share of the smaller height, though too little to be one line
# (_rows: 40%), are one band of a table row: a cell set on two lines, centred against a cell of
# one ("Counterparty" over "limit" beside "Time limit"). Lines of text set one under another
# overlap by a few percent at most.
BAND_OVERLAP = 0.25
MAX_CAPTION_ROWS = 3  # lines of a panel's caption (a name wrapped twice, a rating beside it)
MAX_CAPTION_WORDS = 40
BOLD_WEIGHT = 600  # a font weight this heavy or more is bold (400 is regular, 700 bold)
BOLD_FONT = re.compile(r"bold|black|heavy|demi", re.I)  # a bold face's name ("Helvetica-Bold", "Arial,Bold")
HYPHEN_DROP = 1.2  # a hyphen's next character this far below (in text heights) is not its word's end

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
    textpage: object = None  # pypdfium2 PdfTextPage, for the faces of words
    _rules: list | None = None

    def bold(self, first: int, last: int) -> bool:
        """Are words first..last all set in a bold face: a weight of BOLD_WEIGHT or more, or,
        where the PDF gives no weight (the standard fonts), a bold font name?"""
        if self.textpage is None:
            return False
        raw = self.textpage.raw
        identity = len(self.text) == pdfium_c.FPDFText_CountChars(raw)
        for w in range(first, last + 1):
            index = self.words[w][0]
            char = index if identity else pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, index)
            weight = pdfium_c.FPDFText_GetFontWeight(raw, char)
            if weight >= BOLD_WEIGHT:
                continue
            if weight > 0 or not BOLD_FONT.search(_font_name(raw, char)):
                return False
        return True

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


def median_height(boxes: list) -> float:
    """The middle text height of pieces or rows: the page's (or table's) ordinary line."""
    return sorted(b.h for b in boxes)[len(boxes) // 2]


# ---------------------------------------------------------------------------------------------
# Words and pieces


def _words(textpage, text: str) -> list[tuple]:
    """(start, end, x0, x1, y0, y1, after_line_break, turned) per run of non-space text, boxed
    by the loose boxes of its first and last characters. `turned` marks text set vertically
    (its last character sits below or above its first), as in rotated margin notes. Runs
    without a box are left out; Page.span keeps their text with the word before them."""
    identity = len(text) == textpage.count_chars()
    rect = pdfium_c.FS_RECTF()
    words, prev_end, turned = [], 0, False
    for start, end in _tokens(textpage, text, identity):
        spaced = start == prev_end + 1 and text[prev_end] == " "
        cut = start == prev_end  # (only a cut after a hyphen leaves no space between runs)
        new_line = cut or (not spaced and LINE_BREAK.search(text, prev_end, start) is not None)
        prev_end = end
        if not _loose_box(textpage, start, identity, rect):
            continue
        x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
        turned = turned and not new_line and end - start == 1
        if end - start > 1 and _loose_box(textpage, end - 1, identity, rect):
            turned = (rect.top <= y0 or rect.bottom >= y1) and abs(rect.left - x0) < x1 - x0
            if rect.top > rect.bottom and not turned and rect.right > x0:
                x1 = rect.right  # (a word hyphenated across lines keeps its first line's box)
        if y1 - y0 > 0.01:
            words.append((start, end, x0, x1, y0, y1, new_line, turned))
    return words


def _font_name(raw, char: int) -> str:
    name = ctypes.create_string_buffer(128)
    size = pdfium_c.FPDFText_GetFontInfo(raw, char, name, len(name), None)
    return name.value.decode("latin-1") if size else ""


def _loose_box(textpage, index: int, identity: bool, rect) -> bool:
    """Fill `rect` with the loose box of the character at text index `index` (text and
    character indexes differ when PDFium's text is not one character per character)."""
    char = index if identity else pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, index)
    return bool(pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, char, rect))


def _tokens(textpage, text: str, identity: bool):
    """(start, end) of each run of non-space text. Rule "a hyphen that ends a cell is not a
    broken word": PDFium joins a line ending in a hyphen (U+FFFE) to the next line's first word,
    which is right for a word hyphenated across lines, but a hyphen closing a table cell
    ("AA-", a credit rating) gets joined to whatever text comes next on the page, a line or more
    below. Where the next character sits more than HYPHEN_DROP lines below the hyphen, the run is
    cut after the hyphen, as if PDFium had kept the line break."""
    rect = pdfium_c.FS_RECTF()

    def top_bottom(index: int) -> tuple[float, float] | None:
        return (rect.top, rect.bottom) if _loose_box(textpage, index, identity, rect) else None

    for match in TOKEN.finditer(text):
        start, end = match.span()
        hyphen = text.find("\ufffe", start, end - 1)
        while hyphen != -1:
            above, below = top_bottom(hyphen), top_bottom(hyphen + 1)
            if above and below and above[1] - below[0] > HYPHEN_DROP * (above[0] - above[1]):
                yield start, hyphen + 1
                start = hyphen + 1
            hyphen = text.find("\ufffe", hyphen + 1, end - 1)
        yield start, end


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
        row.pieces = _top_down(sorted(row.pieces, key=lambda p: p.x0))
        row.cells = _cells(page, row.pieces)
        row.y0 = min(p.y0 for p in row.pieces)
        row.y1 = max(p.y1 for p in row.pieces)
    return rows


def _one_band(upper: Row, lower: Row) -> bool:
    """Rule "a cell centred on two lines is one table row": do two consecutive lines overlap
    vertically by BAND_OVERLAP of the smaller height or more?"""
    return min(upper.y1, lower.y1) - max(upper.y0, lower.y0) >= BAND_OVERLAP * min(upper.h, lower.h)


def _top_down(pieces: list[Piece]) -> list[Piece]:
    """Pieces in left-to-right order, except that of two neighbours set one above the other
    (they overlap across, so they are lines of one cell) the upper comes first: a header cell
    of two lines whose lower line is the wider ("Actual" over "30/11/2024", right-aligned) was
    read "30/11/2024 Actual" from left to right."""
    out = list(pieces)
    for i in range(1, len(out)):
        k = i
        while k > 0:
            left, piece = out[k - 1], out[k]
            above = (piece.y0 + piece.y1) - (left.y0 + left.y1) >= max(piece.h, left.h)
            if not (piece.x0 < left.x1 and above):
                break
            out[k - 1], out[k] = piece, left
            k -= 1
    return out


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
