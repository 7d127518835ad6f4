"""The real Kent County Council PDFs (skipped when ../shared/corpus/kent is absent)."""

from __future__ import annotations

import re

import pypdfium2
import pytest

from conftest import KENT, needs_kent
from councilqa.index.search import Searcher

pytestmark = [needs_kent, pytest.mark.kent]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _page_texts(path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [_collapse(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


def test_whole_kent_corpus_is_indexed_once_per_distinct_file(kent_index, settings):
    searcher = Searcher(kent_index, settings)
    files = sorted(KENT.rglob("*.pdf"))
    locations = sum(len(d.locations) for d in searcher.index.documents.values())
    assert locations + len(searcher.index.failures) == len(files)
    assert len(searcher.index.documents) < len(files)  # at least one file is published twice
    assert sum(d.pages for d in searcher.index.documents.values()) > 1000
    dated = [d for d in searcher.index.documents.values() if d.meeting_date]
    assert len(dated) == len(searcher.index.documents)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_kent_passages_sit_on_the_page_they_name(kent_index, settings):
    """Every sampled passage's words are on the page it names. Words, not word order: table
    rows are rebuilt from cell positions, so their cells can stand apart in PDFium's text."""
    searcher = Searcher(kent_index, settings)
    checked = misplaced = 0
    for doc in list(searcher.index.documents.values())[::9]:
        pages = [set(_words(page)) for page in _page_texts(doc.locations[0])]
        for chunk in list(searcher.index.document_chunks(doc.id).values())[::5]:
            words = _words(chunk.text)
            if not words:
                continue
            checked += 1
            found = sum(word in pages[chunk.page - 1] for word in words) / len(words)
            if found < 0.95:
                misplaced += 1
    assert checked > 100
    assert misplaced / checked < 0.01, f"{misplaced} of {checked} passages not found on their page"


def test_kent_search_finds_the_quarterly_performance_kpi(kent_index, settings):
    searcher = Searcher(kent_index, settings)
    hits = searcher.search("percentage of complaints responded to within timescale target", k=5)
    assert any("QPR" in h.document and h.page and "complaints" in h.text.lower() for h in hits)
