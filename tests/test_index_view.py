"""The index's public face (index/view.py) over the real demo index: documents, passages by row,
by id and by document (read from the generation's SQLite store when asked), term statistics as
the BM25 index counts them, the generation's name, the recorded embedding model and withdrawn
documents; a loaded generation stays readable after a later ingest removes its folder, and from
many threads at once. And the guard that keeps the rest of the code on it rather than on the
loaded index's internals."""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from councilqa.index.passages import WORDS_TABLE
from councilqa.index.search import Filters, Searcher
from councilqa.index.sparse import tokenize
from councilqa.index.store import CURRENT, IndexData, write_index
from councilqa.ingest.maintenance import remove_documents
from councilqa.schema import Chunk, Document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def view(demo_searcher):
    return demo_searcher.index


def test_documents_all_and_by_id(view, demo_searcher):
    assert set(view.documents) == {d.id for d in demo_searcher.index.documents.values()} and len(view.documents) == 5
    for doc_id, doc in view.documents.items():
        assert view.document(doc_id) is doc and doc.id == doc_id
    assert view.document("no-such-paper.pdf") is None
    with pytest.raises(TypeError):  # shared by every request: callers cannot change it
        view.documents["x"] = next(iter(view.documents.values()))


def test_passages_by_row_by_id_and_by_document(view):
    rows = list(range(len(view)))
    assert len(view) == len(list(view.chunks())) > 100
    for row in rows:
        chunk = view.chunk(row)
        assert view.row_of(chunk.id) == row and view.chunk_by_id(chunk.id) == chunk
    assert view.row_of("no-such-passage") is None and view.chunk_by_id("no-such-passage") is None
    # Every row belongs to exactly one document, listed in row (reading) order.
    by_document = [row for doc_id in view.documents for row in view.rows_of(doc_id)]
    assert sorted(by_document) == rows
    for doc_id in view.documents:
        chunks = view.document_chunks(doc_id)
        assert list(chunks) == list(view.rows_of(doc_id)) == sorted(chunks)
        assert all(c.document_id == doc_id for c in chunks.values())
    assert list(view.rows_of("no-such-paper.pdf")) == [] and view.document_chunks("no-such-paper.pdf") == {}
    with pytest.raises(IndexError):
        view.chunk(len(view))


def test_the_rows_of_several_documents_are_their_passages_ascending(view):
    chosen = ["2024-03-27-cyp-scrutiny-minutes.txt", "cabinet-member-report-childrens-services.txt", "no-such-paper.pdf"]
    rows = view.rows_of_documents(chosen)
    assert rows.tolist() == sorted(r for doc_id in chosen for r in view.rows_of(doc_id)) and len(rows) > 10
    assert view.rows_of_documents([]).tolist() == []


def test_a_documents_passages_need_not_be_written_together(tmp_path, settings):
    # Rows 0 and 2 of one paper, row 1 of another: each paper's passages are still its own.
    texts = {"parks.md": "Parks open at dawn. Parks close at dusk.", "roads.md": "Roads are gritted."}
    documents = {d: Document(id=d, title=d, format="markdown", content_hash=str(n) * 64) for n, d in enumerate(texts)}
    spans = [("parks.md", 0, 19), ("roads.md", 0, 18), ("parks.md", 20, 40)]
    chunks = [Chunk(id=f"{d}#{n}", document_id=d, text=texts[d][a:b], start=a, end=b) for n, (d, a, b) in enumerate(spans)]
    write_index(tmp_path / "index", IndexData(documents, texts, chunks, np.eye(3, 384, dtype=np.float32)), settings=settings)
    view = Searcher(tmp_path / "index", settings).index
    assert view.rows_of("parks.md") == [0, 2] and view.rows_of("roads.md") == [1]
    assert [c.text for c in view.document_chunks("parks.md").values()] == ["Parks open at dawn.", "Parks close at dusk."]
    assert view.rows_of_documents(["parks.md"]).tolist() == [0, 2]
    assert view.chunk(2).document_id == "parks.md" and view.row_of("roads.md#1") == 1


def test_a_documents_text_is_what_its_passages_are_cut_from(view):
    for doc_id in view.documents:
        text = view.document_text(doc_id)
        assert all(text[c.start:c.end] == c.text for c in view.document_chunks(doc_id).values())
    assert view.document_text("no-such-paper.pdf") is None


def test_documents_with_matching_text_are_those_a_scan_finds(view):
    pattern = re.compile(r"^[ \t]*for[ \t]*\(\d+\)|waiting list", re.I | re.M)
    scanned = {c.document_id for c in view.chunks() if c.kind == "text" and pattern.search(c.text)}
    assert view.documents_with_text_matching(pattern, "*") == scanned and 0 < len(scanned) < len(view.documents)
    # A GLOB narrows what the pattern is tried on, never what it finds there.
    assert view.documents_with_text_matching(pattern, "*[wW]aiting list*") == \
        {c.document_id for c in view.chunks()
         if c.kind == "text" and pattern.search(c.text) and re.search("[wW]aiting list", c.model_dump_json())}
    assert view.documents_with_text_matching(re.compile("zzyzx-nowhere"), "*") == set()


def test_a_passage_carries_its_documents_labels(view):
    chunk = view.chunk(len(view) // 2)
    doc = view.document(chunk.document_id)
    passage = view.passage(chunk, score=0.1234567)
    assert (passage.id, passage.document, passage.title, passage.committee, passage.meeting_date, passage.access) == \
        (chunk.id, doc.id, doc.title, doc.committee, doc.meeting_date, doc.access)
    assert (passage.text, passage.start, passage.end, passage.page, passage.score) == \
        (chunk.text, chunk.start, chunk.end, chunk.page, 0.123457)
    assert view.passage_by_id(chunk.id) == view.passage(chunk)
    assert view.passage_by_id("no-such-passage") is None


def test_term_statistics_count_the_passages_holding_each_token(view):
    # What BM25 indexed: each passage's search text, tokenised.
    held = Counter(token for chunk in view.chunks() for token in set(tokenize(chunk.search_text())))
    terms = view.terms
    assert set(held) <= set(terms.vocabulary)
    assert all(terms.document_frequency(token) == n for token, n in held.items())
    n = len(view)
    for token in ("camh", "therapi", "2023"):
        df = held[token]
        assert 0 < df < n and terms.idf(token) == math.log(1 + (n - df + 0.5) / (df + 0.5))
    # A word no passage uses weighs most; a common one least.
    assert terms.document_frequency("zzyzx") == 0 and "zzyzx" not in terms.vocabulary
    assert terms.idf("zzyzx") == math.log(1 + (n + 0.5) / 0.5) > terms.idf("camh") > terms.idf("children")


def test_generation_and_embedding_are_the_live_ones(view, demo_index, settings):
    assert view.generation == (demo_index / CURRENT).read_text(encoding="utf-8").strip()
    manifest = json.loads((demo_index / view.generation / "manifest.json").read_text(encoding="utf-8"))
    assert view.embedding == manifest["embedding"] == settings.embedding_identity()


def test_publication_order_puts_the_earliest_meeting_then_the_paper_before_a_pack(view):
    # The copy of a passage cited is the one this order puts first: earliest meeting (undated
    # last), then a paper on its own before a public pack, then the id.
    pack = "2024-01-25-cyp-scrutiny-agenda-pack.txt"
    assert view.publication_order(pack) == ("2024-01-25", True, pack)
    assert view.publication_order("cabinet-member-report-childrens-services.txt") == \
        ("9999", False, "cabinet-member-report-childrens-services.txt")
    assert sorted(view.documents, key=view.publication_order) == [
        pack, "2024-03-27-cyp-scrutiny-blackpool-families-rock-report.txt", "2024-03-27-cyp-scrutiny-minutes.txt",
        "cabinet-member-report-childrens-services.txt", "cyp-scrutiny-childrens-services-update-agenda-item.txt"]


def test_withdrawn_documents_leave_the_view(demo_index, settings, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(demo_index, copy)  # the session's demo index is shared: remove from a copy
    before = Searcher(copy, settings).index
    gone = "2024-03-27-cyp-scrutiny-minutes.txt"
    assert before.withdrawn() == [] and before.rows_of(gone)
    assert remove_documents(copy, [gone], by="a test") == [gone]
    after = Searcher(copy, settings).index
    assert after.generation != before.generation
    assert after.generation == (copy / CURRENT).read_text(encoding="utf-8").strip()
    assert [(w.document, w.by) for w in after.withdrawn()] == [(gone, "a test")]
    assert after.document(gone) is None and list(after.rows_of(gone)) == []
    assert len(after) == len(before) - len(before.rows_of(gone))


def test_a_loaded_generation_is_read_after_later_ingests_remove_its_folder(demo_index, settings, tmp_path):
    # The service finishes the questions it began on a generation while an ingest replaces it:
    # the writer keeps the previous generation, and removes older ones at its next write.
    copy = tmp_path / "index"
    shutil.copytree(demo_index, copy)
    searcher = Searcher(copy, settings)
    old = searcher.index
    gone = "2024-03-27-cyp-scrutiny-minutes.txt"
    remove_documents(copy, [gone], by="a test")
    remove_documents(copy, ["cabinet-member-report-childrens-services.txt"], by="a test")
    assert not (copy / old.generation).exists()
    row = old.rows_of(gone)[-1]  # read for the first time after its folder went
    assert old.chunk(row).document_id == gone and old.document_text(gone)
    assert old.passage_by_id(old.chunk(row).id).document == gone
    hits = searcher.search("minutes of the meeting", k=3, filters=Filters(document=gone))
    assert hits and all(h.document == gone for h in hits)


def test_passages_are_read_right_from_many_threads(demo_index, settings):
    view = Searcher(demo_index, settings).index  # its own cache, empty
    expected = {doc_id: view.document_chunks(doc_id) for doc_id in view.documents}
    rows = [row for chunks in expected.values() for row in chunks] * 4

    def read(row: int):
        return row, view.chunk(row), view.chunk_by_id(view.chunk(row).id)

    with ThreadPoolExecutor(8) as pool:
        for row, chunk, by_id in pool.map(read, rows):
            assert chunk == by_id == expected[chunk.document_id][row]


def test_an_index_written_before_the_pasted_sentence_table_finds_pasted_sentences_alike(demo_index, demo_searcher,
                                                                                         settings, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(demo_index, copy)
    store = copy / demo_searcher.index.generation / "store.sqlite"
    with sqlite3.connect(store) as db:
        db.execute(f"DROP TABLE {WORDS_TABLE}")
    older = Searcher(copy, settings)
    assert older.index.generation == demo_searcher.index.generation
    for chunk in [demo_searcher.index.chunk(row) for row in range(0, len(demo_searcher.index), 7)]:
        if len(chunk.text.split()) >= 12:
            pasted = " ".join(chunk.text.split()[2:12])
            found = demo_searcher.verbatim_runs(pasted, [])
            assert found and found == older.verbatim_runs(pasted, []), pasted


# What only index/ may touch: the loaded IndexData (`.data`), bm25s's arrays, the old row maps
# and the SQLite store. The rest of the code asks IndexView (searcher.index).
INTERNALS = re.compile(r"\.data\.(?:documents|chunks|texts|withdrawn|embedding|failures)|sparse\.retriever|rows_by_doc"
                       r"|chunk_rows|_original_first|sqlite3|store\.sqlite|\._passages\b")


@pytest.mark.parametrize("folder", ["qa", "api", "councilqa", "eval"])
def test_the_rest_of_the_code_uses_the_view(folder):
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / folder).rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if INTERNALS.search(line)]
    assert found == []
