"""What a reader hands on: a file's raw text, page by page, before cleaning. Its own module, so
the format readers (readers.py, pdf.py) depend on it and not on each other."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawDocument:
    format: str  # pdf | html | text | markdown
    pages: list[str]  # raw text per page; a single entry for non-PDF formats
    title_hint: str | None = None  # e.g. an HTML <title> or PDF metadata title
    paged: bool = False
    extra: dict = field(default_factory=dict)
