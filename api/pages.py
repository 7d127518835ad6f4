"""A PDF page as a PNG with the quoted words highlighted on it, so an officer sees the citation
on the page itself. PDFium renders the page and gives each character's box; the quote is found
in the page's characters ignoring whitespace and case (the index's cleaned text and PDFium's
text differ in spacing and line breaks), and, when it is not there in one piece (a table row
rebuilt from cell positions), piece by piece near the pieces already found.

A page's size is the PDF's to choose (up to 14,400 pt square, or more with UserUnit), so every
render is held to a pixel budget: a big page is drawn at a smaller scale. Only a few renders
run at once (a request beyond them waits a little, then is told to retry), and recent images
are kept, keyed by file, page and highlight."""

from __future__ import annotations

import ctypes
import io
import math
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

# PDFium is not thread-safe, even across documents: one caller at a time in this process. The
# admin routes hold this lock while they ingest (which parses PDFs) for the same reason.
PDFIUM_LOCK = threading.Lock()
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-", "\u00a0": " "})
NEAR = 400  # a lone short word only counts when this close (in characters) to a piece found
HIGHLIGHT = (255, 214, 0, 105)
OUTLINE = (201, 122, 0, 255)
# The most pixels one page image may have: an A4 page at 1.5 px/pt is 1.1 M, A3 2.2 M. A larger
# page is scaled down to fit (a 14,400 pt square page would be 466 M pixels, ~1.9 GB, at 1.5).
MAX_PIXELS = 4_000_000
MAX_RENDERS = 2  # renders in flight; PDFium draws one at a time, the other encodes its PNG
RENDER_WAIT = 5.0  # seconds a request waits for a render slot (or for an ingest) before 503
RETRY_AFTER = 2  # seconds, sent with that 503


class PageNotFound(LookupError):
    pass


class RenderBusy(RuntimeError):
    """Too many page images are being drawn (or the index is being changed) to start another."""

    retry_after = RETRY_AFTER


@dataclass
class PageImage:
    png: bytes
    boxes: int  # highlight rectangles drawn: 0 when the quote was not found on the page
    width: int
    height: int


def _folded_chars(textpage) -> tuple[str, list[int]]:
    """The page's characters, case- and punctuation-folded and with all whitespace dropped, and
    for each folded character the index of the PDFium character it came from."""
    out, index = [], []
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        for ch in unicodedata.normalize("NFKC", chr(code)).translate(_FOLD).lower():
            if not ch.isspace() and ch != "\x00":
                out.append(ch)
                index.append(i)
    return "".join(out), index


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).translate(_FOLD).lower() if not ch.isspace())


def _find_all(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def find_quote(page_text: str, quote: str) -> list[tuple[int, int]]:
    """Spans [start, end) of the folded page text that make up the quote. Whole quote first;
    otherwise the longest runs of consecutive quote words, each taken where it lies closest to
    the runs already found, so a row's cells are lit on that row and not elsewhere."""
    whole = _fold(quote)
    if not whole:
        return []
    at = page_text.find(whole)
    if at >= 0:
        return [(at, at + len(whole))]
    words = quote.split()
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            piece = _fold(" ".join(words[i:j]))
            hits = _find_all(page_text, piece)
            if not hits:
                continue
            short = j - i == 1 and len(piece) < 6
            if spans:
                anchor = spans[-1][1]
                best = min(hits, key=lambda h: abs(h - anchor))
                if short and abs(best - anchor) > NEAR:
                    continue
            elif short:
                continue  # a lone short word anywhere on the page proves nothing
            else:
                best = hits[0]
            spans.append((best, best + len(piece)))
            i = j
            break
        else:
            i += 1
    return spans


def _device_box(page, size: tuple[int, int], box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """A box in PDF page units to pixels of the rendered bitmap (PDFium does the rotation and
    crop-box arithmetic, exactly as it did when rendering)."""
    left, bottom, right, top = box
    xs, ys = [], []
    for x, y in ((left, top), (right, bottom)):
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page, 0, 0, size[0], size[1], 0, x, y, dx, dy)
        xs.append(dx.value)
        ys.append(dy.value)
    return min(xs), min(ys), max(xs), max(ys)


def budget_scale(width: float, height: float, scale: float, max_pixels: int = MAX_PIXELS) -> float:
    """`scale` (pixels per point), lowered when a `width` x `height` pt page would otherwise come
    to more than `max_pixels` pixels."""
    area = max(width, 1.0) * max(height, 1.0)
    return min(scale, math.sqrt(max_pixels / area) * 0.999)  # a hair under: PDFium rounds up


def _render(path: Path, page_number: int, quote: str | None, scale: float) -> PageImage:
    if not PDFIUM_LOCK.acquire(timeout=RENDER_WAIT):  # an upload or re-ingest is parsing PDFs
        raise RenderBusy("the index is being changed; page images are drawn again when it is done")
    try:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            if not 1 <= page_number <= len(pdf):
                raise PageNotFound(f"page {page_number} is not in this document ({len(pdf)} pages)")
            page = pdf[page_number - 1]
            image = page.render(scale=budget_scale(*page.get_size(), scale)).to_pil()
            rects = []
            if quote:
                textpage = page.get_textpage()
                folded, char_index = _folded_chars(textpage)
                for start, end in find_quote(folded, quote):
                    first, last = char_index[start], char_index[end - 1]
                    for r in range(textpage.count_rects(first, last - first + 1)):
                        rects.append(_device_box(page, image.size, textpage.get_rect(r)))
                textpage.close()
            page.close()
        finally:
            pdf.close()
    finally:
        PDFIUM_LOCK.release()
    if rects:
        # Only the highlighted band is blended, not a full-page RGBA copy (and its overlay).
        x0 = max(min(r[0] for r in rects) - 4, 0)
        y0 = max(min(r[1] for r in rects) - 4, 0)
        x1 = min(max(r[2] for r in rects) + 5, image.size[0])
        y1 = min(max(r[3] for r in rects) + 5, image.size[1])
        band = image.crop((x0, y0, x1, y1)).convert("RGBA")
        overlay = Image.new("RGBA", band.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for rx0, ry0, rx1, ry1 in rects:
            draw.rectangle((rx0 - 2 - x0, ry0 - 2 - y0, rx1 + 2 - x0, ry1 + 2 - y0), fill=HIGHLIGHT, outline=OUTLINE, width=2)
        image = image if image.mode == "RGB" else image.convert("RGB")
        image.paste(Image.alpha_composite(band, overlay).convert("RGB"), (x0, y0))
    buffer = io.BytesIO()
    (image if image.mode == "RGB" else image.convert("RGB")).save(buffer, format="PNG", optimize=False)
    return PageImage(buffer.getvalue(), len(rects), image.size[0], image.size[1])


_cache: OrderedDict[tuple, PageImage] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 24  # a page is ~100-300 kB as PNG; the viewer asks for the same few pages again
CACHE_BYTES = 48 * 1024 * 1024  # and never more than this in all (a budget-sized page can be MBs)
_slots = threading.BoundedSemaphore(MAX_RENDERS)


def _cached(key: tuple) -> PageImage | None:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    return None


def page_image(path: Path, page_number: int, quote: str | None = None, scale: float = 1.5) -> PageImage:
    """Page `page_number` (from 1) of the PDF at `path` as a PNG of at most MAX_PIXELS pixels,
    with `quote` highlighted when it is found on the page. Raises PageNotFound for a page the
    document does not have, RenderBusy when no render could start within RENDER_WAIT seconds."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, page_number, quote, scale)
    if (hit := _cached(key)) is not None:
        return hit
    if not _slots.acquire(timeout=RENDER_WAIT):
        raise RenderBusy(f"{MAX_RENDERS} page images are being drawn already; try again in a moment")
    try:
        # The same page may have been drawn while this request waited for its slot.
        if (hit := _cached(key)) is not None:
            return hit
        rendered = _render(path, page_number, quote, scale)
    finally:
        _slots.release()
    with _cache_lock:
        _cache[key] = rendered
        while len(_cache) > CACHE_SIZE or (len(_cache) > 1 and sum(len(i.png) for i in _cache.values()) > CACHE_BYTES):
            _cache.popitem(last=False)
    return rendered
