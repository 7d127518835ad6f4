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
contiguous run of get_text_range(); each cell usually is.

The layout steps live in their own modules (pdf_rows, pdf_text, pdf_table_spans,
pdf_table_cells, pdf_panels, pdf_columns, put together by pdf_page); this module opens the
document, reads each page through pdf_page and falls back to pypdf or plain text on failure."""

from __future__ import annotations

import io
import logging

import pypdfium2

from .errors import UnreadableFile
from .pdf_page import _plain_text, page_text
from .pdf_table_cells import Columns
from .raw import RawDocument

log = logging.getLogger(__name__)

# A page with fewer characters than this is treated as having no text layer.
MIN_PAGE_CHARS = 20


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
        columns = None  # the last table's, for a table the next page continues
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                text, columns = _layout_or_plain(textpage, index, columns)
                pages.append(text)
            finally:
                textpage.close()
                page.close()
        return pages, title
    finally:
        pdf.close()


def _layout_or_plain(textpage, index: int, carried: Columns | None) -> tuple[str, Columns | None]:
    """The rebuilt page and its last table's columns, or PDFium's plain text should the layout
    code fail on a page."""
    try:
        return page_text(textpage, carried)
    except Exception:  # a layout bug must not lose a page's text
        log.warning("layout failed on page %d; using plain text", index + 1, exc_info=True)
        return _plain_text(textpage), None


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
