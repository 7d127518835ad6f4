"""PDF pages to text with PDFium (pypdfium2).

Why PDFium rather than pypdf: on the 1,545 Kent pages it extracts text in 4 s against pypdf's
71 s (measured here, benchmarks/parse_engines.py), and it is the engine the source viewer uses to
render pages and find a quote's boxes, so the words we index are the words we highlight.
pypdf stays as the fallback for files PDFium refuses but pypdf can still read."""

from __future__ import annotations

import io
import logging

import pypdfium2

from .errors import UnreadableFile
from .readers import RawDocument

log = logging.getLogger(__name__)

# A page with fewer characters than this is treated as having no text layer.
MIN_PAGE_CHARS = 20


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
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return pages, title
    finally:
        pdf.close()


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
