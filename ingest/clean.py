"""Cleaning: markup and page furniture out, text offsets kept.

The output is the document's *cleaned text*: every passage is an exact slice of it and every
quote is located by offsets into it, so it is built once here and stored. Lines are cleaned one
by one and remembered with a hint (heading level from Markdown `#`, bold) that the chunker uses
to find sections. Boilerplate removed: "This page is intentionally left blank", page-number
lines, running headers and footers repeated on many pages (PDF) or repeated bold banners (text
exported from PDFs), Markdown table rules. Every line removed is listed in
`CleanedDocument.removed_lines` (page, reason, text), so what cleaning drops can be checked
(benchmarks/furniture_kent.py).

Page furniture (PDF) is recognised by one rule, *furniture repeats; figures do not* (see
`furniture_lines` and `page_number_lines`):

- A running header or footer is a line in the top or bottom three lines of at least 30% of the
  pages (and of 3 pages or more) whose text is the same on all of them: case, spacing and markup
  aside, and with its page number ("Page 3 of 12", a cell holding only the number) and any date
  ("12 March 2025", "21/02/2025") set aside (`furniture_key`). Any other figure must be
  identical: a budget book's "Staffing", "Gross expenditure" and "Income" rows end every page
  with different figures and are content, not furniture.
- A line of table cells (tab-separated, as the PDF reader writes a table's rows) is never
  furniture unless it carries the page number ("Numbers rounded for clarity...<tab>Page 3 of
  44"): a table's rows, its repeated column headers and a "TOTAL £m 334.7 290.0" row repeated
  on each page of a register are the table's text, and its only copy of those figures.
- Furniture stays at the edges: a line also found in the body of the pages at least half as
  often as at their edges is the document's text that happens to start or end some pages
  ("Not Applicable" in a form, "2024-25" over a table).
- Only a page with body lines (more than the top and bottom three) is evidence of furniture: on
  a thin page every line is at an edge, so a line that repeats there may as well be the text
  ("Decision: approved on appeal by the committee." on each page of a register printed two
  lines a page). A line counts as a running header when it sits at the edge of enough pages
  *with body lines* (30% of all the pages, 3 or more), and seldom in their body; it is then removed
  from the edges of the thin pages too (a cover or a divider carrying the same header). A
  document of thin pages only keeps every line bar its page numbers.
- A page-number line is one in the top or bottom three lines that says so ("Page 3", "Page 3
  of 12", "- 3 -", "3 of 12"), or a bare number that runs with the pages: it equals the page's
  position in the file, or it differs from it by the same amount as another page's bare number
  (a document numbered from its second page). A lone "2024" that ends a sentence wrapped onto
  page 1's last line is a year, not a page number."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# HTML left in text exported from PDFs and web pages ("<i>", "<p>", '<ol style="...">').
INLINE_TAGS = re.compile(
    r"</?(?:i|b|u|em|strong|p|br|span|sup|sub|div|font|small|ol|ul|li|a|table|thead|tbody|tr|td|th|h[1-6]|blockquote|hr)\b[^>]*>",
    re.I,
)
BLANK_PAGE = re.compile(r"^\s*(this page (is )?(intentionally|deliberately) (left )?blank\.?)\s*$", re.I)
TABLE_RULE = re.compile(r"^[\s|:\-+=_*]*$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f]+")
# Rule "a superscript ordinal rejoins its number": a PDF's superscript "th" comes out of its text
# layer as a word of its own ("published on 6 th January 2025"), which neither the date patterns
# nor a reader expect. Before a month (or "of" and a month), or ending a line (a date wrapped onto
# the next: "published on 6 th" over "January 2025"), it is joined again: "6th January".
# The page highlighter matches quotes without whitespace (api/pages.py), so citations still land.
DETACHED_ORDINAL = re.compile(r"\b(\d{1,2}) (st|nd|rd|th)\b(?= (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|$)",
                              re.I)


def join_ordinals(text: str) -> str:
    """`text` with its set-apart superscript ordinals joined (rule "a superscript ordinal rejoins
    its number"): how ingest cleans a line, and how a query or a quote is read to match it."""
    return DETACHED_ORDINAL.sub(r"\1\2", text)


TERMINAL = re.compile(r"[.:;!?)\]]$")


@dataclass
class Line:
    text: str  # cleaned
    page: int | None
    heading_level: int | None = None  # from explicit markup only (Markdown #)
    bold: bool = False


@dataclass
class CleanedDocument:
    text: str
    lines: list[tuple[int, int, Line]]  # (start, end, line) for each kept non-empty line
    page_starts: list[int] = field(default_factory=list)
    removed: Counter = field(default_factory=Counter)  # lines removed, by reason
    removed_lines: list[tuple[int | None, str, str]] = field(default_factory=list)  # (page, reason, text)


def clean_inline(raw: str) -> tuple[str, int | None, bool]:
    """Clean one line. Returns (text, markdown heading level, was bold)."""
    # PDFium marks a hyphen at a line break as U+FFFE; it is a hyphen on the page.
    text = raw.replace("\ufeff", "").replace("\u00ad", "").replace("\ufffe", "-")
    level = None
    match = MD_HEADING.match(text.strip())
    if match:
        level, text = len(match.group(1)), match.group(2)
    stripped = text.strip()
    bold = stripped.startswith("**") or stripped.endswith("**")
    text = INLINE_TAGS.sub("", text).replace("**", "").replace("__", "")
    if "|" in text and text.strip().startswith("|"):
        # Markdown pipe table row: cells become tab-separated like every other table.
        text = "\t".join(cell.strip() for cell in text.strip().strip("|").split("|"))
    cells = [join_ordinals(SPACES.sub(" ", cell).strip()) for cell in text.split("\t")]
    if not any(cells):
        return "", level, bold
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    text = "\t".join(cells)
    if len(cells) == 1 and "\t" in raw:
        # A table row with only its first cell filled ("Highways & Transportation") stays a
        # row, so its table is not cut in two; one tab marks it.
        text += "\t"
    return text, level, bold


# Running headers and footers: a line counts as one when it sits in the top or bottom
# EDGE_LINES lines of at least FURNITURE_SHARE of the pages, and of MIN_FURNITURE_PAGES or more.
EDGE_LINES = 3
FURNITURE_SHARE = 0.3
MIN_FURNITURE_PAGES = 3
MIN_PAGES_FOR_FURNITURE = 4
# ...and is found in the body of the pages (away from their edges) less than BODY_SHARE times
# as often as at their edges. Only pages with body lines count as evidence (furniture_lines).
BODY_SHARE = 0.5

MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\.?,?\s+\d{{4}}"  # 12 March 2025
    rf"|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 12, 2025
    rf"|{MONTH}\s+\d{{4}}"  # March 2025
    r"|\d{1,2}(?P<sep>[/.-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})"  # 12/03/2025, 12.03.25
    r"|\d{4}-\d{2}-\d{2})\b",  # 2025-03-12
    re.I,
)
# A page number that says so: "Page 3", "Page 3 of 12", "- 3 -", "3 of 12".
STATED_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+(\d{1,4})(?:\s+of\s+\d{1,4})?|-\s*(\d{1,4})\s*-|(\d{1,4})\s+of\s+\d{1,4})\s*$", re.I)
BARE_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")
PAGE_IN_TEXT = re.compile(r"\b(page\s+)\d{1,4}\b", re.I)


def _edge_indexes(lines: list[str]) -> set[int]:
    """Indexes of a page's top and bottom EDGE_LINES non-empty lines."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    return set(content[:EDGE_LINES] + content[-EDGE_LINES:])


def page_number_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page index, line index) of the page-number lines of a paged document: at a page's edge,
    a number that says it is one ("Page 3 of 12") or a bare number that runs with the pages
    (equal to the page's position, or off it by the same amount as another page's number).
    Why: a bare number at a page's foot may be a figure or a year wrapped onto its own line."""
    stated: set[tuple[int, int]] = set()
    bare: list[tuple[int, int, int]] = []  # page index, line index, number minus page position
    for p, lines in enumerate(pages):
        for i in _edge_indexes(lines):
            if STATED_PAGE_NUMBER.match(lines[i]):
                stated.add((p, i))
            elif match := BARE_NUMBER.match(lines[i]):
                bare.append((p, i, int(match.group(1)) - (p + 1)))
    offsets = Counter(offset for _, _, offset in bare)
    return stated | {(p, i) for p, i, offset in bare if offset == 0 or offsets[offset] >= 2}


def furniture_key(line: str, page_no: int) -> str:
    """The line as it must repeat, page after page, to be a running header or footer: case,
    spacing and markup aside, dates as <date>, and its page number as <page> where it says
    "Page 3", or as <page+k> (k = the number minus page_no) for a cell holding only a number
    ("3", "3 of 12", "- 3 -"), so that only numbers that run with the pages are set aside.
    Every other figure stays in the key: rows with different figures never match. Cells (tabs)
    are kept, so a table row stays recognisable as one."""
    cleaned = INLINE_TAGS.sub("", line).replace("**", "").lower()
    cells = []
    for cell in cleaned.split("\t"):
        cell = DATE.sub("<date>", SPACES.sub(" ", cell).strip())
        number = BARE_NUMBER.match(cell) or STATED_PAGE_NUMBER.match(cell)
        if number and not cell.startswith("page"):
            value = int(next(group for group in number.groups() if group))
            cell = f"<page{value - page_no:+d}>"
        else:
            cell = PAGE_IN_TEXT.sub(r"\1<page>", cell)
        cells.append(cell)
    return "\t".join(cells)


NOT_LETTERS = re.compile(rf"\b{MONTH}\b|\d+(?:st|nd|rd|th)?|[^a-z\d]+")


def _letters(line: str) -> str:
    """A line's letters, month names aside: equal for any two lines with one furniture_key."""
    return NOT_LETTERS.sub("", INLINE_TAGS.sub("", line).lower())


def furniture_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page index, line index) of the running headers and footers of a paged document: lines
    at the top or bottom edge of many pages with the same furniture_key on each (see the module
    docstring). Lines of table cells are furniture only when they carry the page number, and
    a line found in the body of the pages half as often as at their edges, or more, is text
    ("Not Applicable" answering most questions of a form, a subject's name in minutes).
    Only pages with body lines are counted: on a thin page (six lines or fewer) every line is
    at an edge, and nothing tells a header from the text; a line found as a header on the other
    pages is removed from a thin page's edges too.
    Why: a repeated line with *different* figures on each page is a table row (the "Gross
    expenditure" row that ends each page of a budget book), and a table row with the same
    figures on each page is a table's text too; deleting either loses figures silently."""
    if len(pages) < MIN_PAGES_FOR_FURNITURE:
        return set()
    where: dict[str, list[tuple[int, int]]] = {}  # at an edge of any page
    evidence: dict[str, set[int]] = {}  # at an edge of a page with body lines
    body_lines: list[tuple[int, str]] = []
    for p, lines in enumerate(pages):
        edges = _edge_indexes(lines)
        has_body = any(line.strip() for i, line in enumerate(lines) if i not in edges)
        for i, line in enumerate(lines):
            if i in edges:
                key = furniture_key(line, p + 1)
                where.setdefault(key, []).append((p, i))
                if has_body:
                    evidence.setdefault(key, set()).add(p)
            elif line.strip():
                body_lines.append((p, line))
    threshold = max(MIN_FURNITURE_PAGES, int(FURNITURE_SHARE * len(pages)))
    candidates = {
        key: len(found) for key, found in evidence.items()
        if key.strip() and len(found) >= threshold
        and ("\t" not in key or "<page" in key)  # a table's row: never furniture
    }
    if not candidates:
        return set()
    # Only a body line with a candidate's letters can have its key (furniture_key is slow).
    letters = {_letters(pages[p][i]) for key in candidates for p, i in where[key][:1]}
    body = Counter(key for p, line in body_lines
                   if _letters(line) in letters and (key := furniture_key(line, p + 1)) in candidates)
    return {
        place for key, pages_at_edge in candidates.items()
        if body[key] < BODY_SHARE * pages_at_edge  # else also among the text: the text's own line
        for place in where[key]
    }


def _bold_banners(lines: list[str]) -> set[int]:
    """Indexes of lines in bold banners (1-3 lines wrapped in **...**) that occur 2+ times:
    running headers of text exported from PDFs, e.g. '**MINUTES OF ... MEETING - DATE**'."""
    blocks: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("**"):
            for j in range(i, min(i + 3, len(lines))):
                if lines[j].strip().endswith("**") and (j > i or len(lines[i].strip()) > 4):
                    key = " ".join(line.strip() for line in lines[i : j + 1])
                    blocks.append((i, j, key))
                    i = j
                    break
        i += 1
    counts = Counter(key for _, _, key in blocks)
    return {k for i, j, key in blocks if counts[key] >= 2 for k in range(i, j + 1)}


def clean_pages(pages: list[str], paged: bool) -> CleanedDocument:
    """Clean raw page texts into one text. PDF pages are separated by a blank line and never
    merged, so each passage keeps one page number."""
    split_pages = [page.split("\n") for page in pages]
    furniture = furniture_lines(split_pages) if paged else set()
    page_numbers = page_number_lines(split_pages) if paged else set()
    out: list[str] = []
    kept: list[tuple[int, int, Line]] = []
    page_starts: list[int] = []
    removed: Counter = Counter()
    removed_lines: list[tuple[int | None, str, str]] = []
    offset = 0

    def drop(page_no: int | None, reason: str, raw: str) -> None:
        removed[reason] += 1
        removed_lines.append((page_no, reason, raw.strip()))

    def emit(piece: str) -> None:
        nonlocal offset
        out.append(piece)
        offset += len(piece)

    for page_index, raw_lines in enumerate(split_pages):
        page_no = page_index + 1 if paged else None
        banners = _bold_banners(raw_lines) if not paged else set()
        if paged:
            if page_index:
                emit("\n\n")
            page_starts.append(offset)
        pending_blank = False
        for i, raw in enumerate(raw_lines):
            if i in banners:
                drop(page_no, "running header", raw)
                continue
            if BLANK_PAGE.match(raw):
                drop(page_no, "blank-page notice", raw)
                continue
            if (page_index, i) in page_numbers or (not paged and re.match(r"^\s*Page \d+\s*$", raw)):
                drop(page_no, "page number", raw)
                continue
            if (page_index, i) in furniture:
                drop(page_no, "running header", raw)
                continue
            if raw.strip() and TABLE_RULE.match(raw) and len(raw.strip()) >= 3:
                drop(page_no, "rule", raw)
                continue
            text, level, bold = clean_inline(raw)
            if not text.strip():
                pending_blank = True
                continue
            if kept and kept[-1][2].page == page_no:
                emit("\n\n" if pending_blank else "\n")
            pending_blank = False
            start = offset
            emit(text)
            kept.append((start, offset, Line(text=text, page=page_no, heading_level=level, bold=bold)))
    return CleanedDocument(text="".join(out), lines=kept, page_starts=page_starts, removed=removed,
                           removed_lines=removed_lines)


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))
