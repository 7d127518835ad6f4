"""Turn a file into raw page texts. Text, Markdown and HTML are one "page" with no number;
PDFs give one text per 1-based page. Cleaning happens later, in one place, for all formats."""

from __future__ import annotations

from pathlib import Path

from .errors import UnreadableFile
from .html_text import html_to_text
from .raw import RawDocument

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | HTML_SUFFIXES | PDF_SUFFIXES


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_file(path: Path, data: bytes) -> RawDocument:
    """Read one file's bytes. Raises UnreadableFile with a reason a person can act on."""
    suffix = path.suffix.lower()
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if suffix in PDF_SUFFIXES:
        from .pdf import read_pdf

        return read_pdf(data)
    if suffix in HTML_SUFFIXES:
        text, title = html_to_text(decode_text(data))
        if not text.strip():
            raise UnreadableFile("the HTML page has no readable text")
        return RawDocument(format="html", pages=[text], title_hint=title)
    if suffix in TEXT_SUFFIXES:
        if b"\x00" in data[:4096]:
            raise UnreadableFile("the file looks binary, not text")
        return RawDocument(format=TEXT_SUFFIXES[suffix], pages=[decode_text(data)])
    raise UnreadableFile(f"unsupported file type {suffix or '(none)'}")
