"""Turn a file into raw page texts. Text, Markdown and HTML are one "page" with no number;
PDFs give one text per 1-based page. Cleaning happens later, in one place, for all formats.

Text may come in UTF-8 (with or without the byte-order mark Windows tools write), UTF-16 or
UTF-32 with a byte-order mark, UTF-16 without one when its zero bytes say so plainly (every
other byte zero, as Windows "Unicode text" exports of English are), or cp1252/Latin-1."""

from __future__ import annotations

from pathlib import Path

from .errors import UnreadableFile
from .html_text import html_to_text
from .raw import RawDocument

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | HTML_SUFFIXES | PDF_SUFFIXES


# Formats a user may well drop into a papers folder that we do not read: listed in the ingest
# report as not supported, with what to do, instead of being skipped without a word.
NOT_SUPPORTED = {
    **dict.fromkeys((".doc", ".docx", ".docm", ".dot", ".dotx"), "a Word document"),
    **dict.fromkeys((".odt", ".ott"), "an OpenDocument text document"),
    ".rtf": "a Rich Text document",
    **dict.fromkeys((".xls", ".xlsx", ".xlsm", ".ods", ".csv"), "a spreadsheet"),
    **dict.fromkeys((".ppt", ".pptx", ".odp"), "a presentation"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp"), "an image"),
}


def not_supported_reason(path: Path) -> str | None:
    """Why a file of a format a user may expect us to read is not read, and what to do; None for
    files we read and for files nobody would expect us to (sidecars, system files)."""
    kind = NOT_SUPPORTED.get(path.suffix.lower())
    if kind is None:
        return None
    readable = "PDF, HTML, text and Markdown"
    if kind == "an image":
        return f"not supported: {kind} ({path.suffix.lower()}); only {readable} are read. Run it through OCR and save it as a PDF with a text layer"
    return f"not supported: {kind} ({path.suffix.lower()}); only {readable} are read. Save it as PDF and ingest that"


BOMS = [  # longest first: the UTF-32-LE mark begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
]
# UTF-16 without a byte-order mark: in a sample of this many bytes, at least this share of the
# odd (or even) bytes are zero and almost none of the others; English in UTF-16-LE is every
# other byte zero, and neither UTF-8 nor cp1252 text has zero bytes at all.
UTF16_SAMPLE = 4096
UTF16_ZERO_SHARE = 0.4
UTF16_OTHER_ZERO_SHARE = 0.02


def text_encoding(data: bytes) -> tuple[str | None, int]:
    """(encoding, bytes of byte-order mark to skip) where the bytes say so (a BOM, or UTF-16's
    zero bytes); (None, 0) when they do not and decode_text tries UTF-8, then cp1252."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    sample = data[:UTF16_SAMPLE]
    if len(sample) >= 4 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        even_zero, odd_zero = even.count(0) / len(even), odd.count(0) / len(odd)
        if odd_zero >= UTF16_ZERO_SHARE and even_zero <= UTF16_OTHER_ZERO_SHARE:
            return "utf-16-le", 0
        if even_zero >= UTF16_ZERO_SHARE and odd_zero <= UTF16_OTHER_ZERO_SHARE:
            return "utf-16-be", 0
    return None, 0


def _looks_like_text(text: str) -> bool:
    """No control characters but the usual whitespace (and form feeds): what a text file's
    decoded characters are, and a binary file's seldom."""
    controls = sum(1 for c in text[:UTF16_SAMPLE] if ord(c) < 32 and c not in "\t\n\r\f")
    return controls == 0


def decode_text(data: bytes) -> str:
    """The text of a text or HTML file. Raises UnreadableFile for bytes that say they are
    UTF-16/32 (or look like it) but do not decode as such."""
    encoding, skip = text_encoding(data)
    if encoding is not None:
        try:
            return data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"the file looks like {encoding.upper()} text but is not valid {encoding.upper()} "
                                 f"(byte {exc.start + skip})") from exc
    for fallback in ("utf-8", "cp1252"):
        try:
            return data.decode(fallback)
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
        encoding, _ = text_encoding(data)
        if encoding is None and b"\x00" in data[:UTF16_SAMPLE]:
            raise UnreadableFile("the file looks binary, not text")
        text = decode_text(data)
        if encoding is not None and encoding != "utf-8" and not _looks_like_text(text):
            raise UnreadableFile("the file looks binary, not text")
        if not text.strip():
            raise UnreadableFile("the file is empty")
        return RawDocument(format=TEXT_SUFFIXES[suffix], pages=[text])
    raise UnreadableFile(not_supported_reason(path) or f"unsupported file type {suffix or '(none)'}")
