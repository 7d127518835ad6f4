"""Cleaning: markup and page furniture out, text offsets kept.

The output is the document's *cleaned text*: every passage is an exact slice of it and every
quote is located by offsets into it, so it is built once here and stored. Lines are cleaned one
by one and remembered with a hint (heading level from Markdown `#`, bold) that the chunker uses
to find sections. Boilerplate removed: "This page is intentionally left blank", page-number
lines, running headers and footers repeated on many pages (PDF) or repeated bold banners (text
exported from PDFs), Markdown table rules."""

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
PAGE_NUMBER = re.compile(r"^\s*(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,4}|-\s*\d{1,4}\s*-)\s*$", re.I)
TABLE_RULE = re.compile(r"^[\s|:\-+=_*]*$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f]+")
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
    removed: Counter = field(default_factory=Counter)


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
    cells = [SPACES.sub(" ", cell).strip() for cell in text.split("\t")]
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


def _furniture_keys(pages: list[list[str]]) -> set[str]:
    """Lines that sit in the top or bottom three lines of many pages: running headers/footers."""
    if len(pages) < 4:
        return set()
    counts: Counter = Counter()
    for lines in pages:
        content = [line for line in lines if line.strip()]
        edge = content[:3] + content[-3:]
        counts.update({_furniture_key(line) for line in edge})
    threshold = max(3, int(0.3 * len(pages)))
    return {key for key, n in counts.items() if n >= threshold and key}


def _furniture_key(line: str) -> str:
    cleaned = INLINE_TAGS.sub("", line).replace("**", "").strip().lower()
    return re.sub(r"\d+", "#", SPACES.sub(" ", cleaned))


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
    furniture = _furniture_keys(split_pages) if paged else set()
    out: list[str] = []
    kept: list[tuple[int, int, Line]] = []
    page_starts: list[int] = []
    removed: Counter = Counter()
    offset = 0

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
        content = [i for i, line in enumerate(raw_lines) if line.strip()]
        edges = set(content[:3] + content[-3:]) if paged else set()
        pending_blank = False
        for i, raw in enumerate(raw_lines):
            if i in banners:
                removed["running header"] += 1
                continue
            if BLANK_PAGE.match(raw):
                removed["blank-page notice"] += 1
                continue
            if (paged and i in edges and PAGE_NUMBER.match(raw)) or (not paged and re.match(r"^\s*Page \d+\s*$", raw)):
                removed["page number"] += 1
                continue
            if i in edges and _furniture_key(raw) in furniture:
                removed["running header"] += 1
                continue
            if raw.strip() and TABLE_RULE.match(raw) and len(raw.strip()) >= 3:
                removed["rule"] += 1
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
    return CleanedDocument(text="".join(out), lines=kept, page_starts=page_starts, removed=removed)


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))
