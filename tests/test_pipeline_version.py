"""An index remembers which version of the ingest pipeline produced each document
(ingest/version.py), and an ingest reads again every file whose document another version
produced, unchanged bytes or not, so a fix to parsing, cleaning or chunking reaches papers
indexed before it. Made-up files; the real model."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest
from councilqa.index.embedder import embedder_for
from councilqa.index.store import current_generation, load_index
from councilqa.ingest import clean, parsing, version
from councilqa.ingest.embedding import MIN_SHARED_PRINT_CHARS
from councilqa.ingest.maintenance import remove_documents
from councilqa.ingest.pipeline import ingest
from pdfs import text_pdf

NOTE = ("Report to: CABINET\nDate of Meeting: 1 May 2024\n\nLIBRARY HOURS\n\n"
        "The Cabinet agreed that Sandwich library opens on Saturday mornings from June 2024.\n\n"
        "This page is intentionally left blank\n\n"
        "The Cabinet noted that Deal library keeps its Thursday evening hours.\n")
IDS = {"library-note.txt", "2024-05-01-cabinet/hubs.pdf"}


@pytest.fixture()
def papers(tmp_path):
    folder = tmp_path / "papers"
    (folder / "2024-05-01-cabinet").mkdir(parents=True)
    (folder / "library-note.txt").write_text(NOTE, encoding="utf-8")
    text_pdf(folder / "2024-05-01-cabinet" / "hubs.pdf", [
        ["Report to: CABINET", "FAMILY HUBS BUDGET", "1. This report sets out the budget for family hubs."],
        ["2. DECISION", "The Cabinet approved a budget of 2.5 million pounds for new family hubs."],
    ])
    return folder


def versions(index_dir):
    data, *_ = load_index(index_dir)
    return data.pipeline


def test_each_document_records_the_pipeline_that_produced_it(papers, tmp_path, settings):
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert report.added == 2 and not report.failed, report.summary()
    assert versions(tmp_path / "index") == {doc_id: version.PIPELINE_VERSION for doc_id in IDS}


def test_same_version_reads_nothing_again(papers, tmp_path, settings):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    generation = (index_dir / "CURRENT").read_text()
    again = ingest([papers], index_dir, settings, progress=False)
    assert again.unchanged == 2 and again.updated == again.updated_pipeline == again.pages == 0
    assert not again.index_written and (index_dir / "CURRENT").read_text() == generation
    assert "pipeline changed" not in again.summary()


def test_another_version_reads_every_document_again(papers, tmp_path, settings, monkeypatch):
    index_dir = tmp_path / "index"
    first = ingest([papers], index_dir, settings, progress=False)
    monkeypatch.setattr(version, "PIPELINE_VERSION", version.PIPELINE_VERSION + 1)
    second = ingest([papers], index_dir, settings, progress=False)
    assert second.updated == second.updated_pipeline == 2, second.summary()
    assert second.unchanged == second.added == 0 and second.pages == first.pages
    assert second.index_written
    assert "2 updated (2 of them because the pipeline changed)" in second.summary()
    # Re-reading costs parse time only: the passages' words are unchanged, so are their vectors.
    assert second.embedded == 0
    assert versions(index_dir) == {doc_id: version.PIPELINE_VERSION for doc_id in IDS}
    # ...and then it is the version the index holds: nothing is read again.
    third = ingest([papers], index_dir, settings, progress=False)
    assert third.unchanged == 2 and third.updated == 0 and not third.index_written


def test_a_cleaning_change_reaches_an_index_built_before_it(papers, tmp_path, settings, monkeypatch):
    """What the re-read is for: the new pipeline's text replaces the old pipeline's."""
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    data, *_ = load_index(index_dir)
    assert "intentionally left blank" not in data.texts["library-note.txt"]
    # A "new pipeline" that keeps blank-page notices, released with a new version.
    monkeypatch.setattr(clean, "BLANK_PAGE", clean.re.compile(r"(?!)"))
    unchanged = ingest([papers], index_dir, settings, progress=False)
    assert unchanged.unchanged == 2  # the same version: the old text stays (why versions exist)
    monkeypatch.setattr(version, "PIPELINE_VERSION", version.PIPELINE_VERSION + 1)
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.updated_pipeline == 2
    data, *_ = load_index(index_dir)
    assert "This page is intentionally left blank" in data.texts["library-note.txt"]
    assert any("intentionally left blank" in c.text for c in data.chunks if c.document_id == "library-note.txt")


def test_an_index_without_versions_is_read_again(papers, tmp_path, settings):
    """An index written before versions were recorded has no `pipeline` table: every document
    in it counts as made by another version."""
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    db = sqlite3.connect(current_generation(index_dir) / "store.sqlite")
    db.execute("DROP TABLE pipeline")
    db.commit()
    db.close()
    data, *_ = load_index(index_dir)
    assert data.pipeline == {} and set(data.documents) == IDS  # still loads
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.updated == report.updated_pipeline == 2, report.summary()
    assert versions(index_dir) == {doc_id: version.PIPELINE_VERSION for doc_id in IDS}


def test_only_documents_of_another_version_are_read_again(papers, tmp_path, settings, monkeypatch):
    """A paper added under the new version is not read again with the old ones; nor is one whose
    file changed counted as a pipeline update."""
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    monkeypatch.setattr(version, "PIPELINE_VERSION", version.PIPELINE_VERSION + 1)
    note = papers / "library-note.txt"
    note.write_text(NOTE + "\nThe Cabinet agreed a new book fund.\n", encoding="utf-8")
    (papers / "extra.txt").write_text("Report to: CABINET\n\nThe Cabinet agreed a mobile library route.\n",
                                      encoding="utf-8")
    report = ingest([papers], index_dir, settings, progress=False)
    assert (report.added, report.updated, report.updated_pipeline) == (1, 2, 1), report.summary()
    assert set(versions(index_dir).values()) == {version.PIPELINE_VERSION}


@pytest.mark.parametrize("copy", ["public-pack/a-copy.txt", "a-pack/a-copy.txt"])  # read after, before the original
def test_a_reread_document_keeps_its_duplicate_locations(papers, tmp_path, settings, monkeypatch, copy):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    (papers / copy).parent.mkdir()
    shutil.copy(papers / "library-note.txt", papers / copy)
    assert ingest([papers], index_dir, settings, progress=False).duplicates == 1
    monkeypatch.setattr(version, "PIPELINE_VERSION", version.PIPELINE_VERSION + 1)
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.updated_pipeline == 2 and report.duplicates == 1, report.summary()
    data, *_ = load_index(index_dir)
    locations = data.documents["library-note.txt"].locations
    assert sorted(loc.removeprefix(str(papers) + "/") for loc in locations) == sorted([copy, "library-note.txt"])
    assert copy not in data.documents and set(data.documents) == IDS


def test_removing_a_document_keeps_the_others_versions(papers, tmp_path, settings):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    assert remove_documents(index_dir, ["library-note.txt"]) == ["library-note.txt"]
    assert versions(index_dir) == {"2024-05-01-cabinet/hubs.pdf": version.PIPELINE_VERSION}
    # A removed document stays out (withdrawn) unless asked for.
    report = ingest([papers], index_dir, settings, progress=False, include_withdrawn=True)
    assert (report.added, report.unchanged, report.updated) == (1, 1, 0), report.summary()


def test_a_passage_given_new_context_by_a_new_version_is_embedded_again(papers, tmp_path, settings, monkeypatch):
    """A new version may put new context around the same printed words (a table row's column
    names): the passage gets the vector of its new search text, not the vector its words had."""
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    chunk_document = parsing.chunk_document

    def with_context(*args, **kwargs):
        return [c.model_copy(update={"context": "Family hubs: the Cabinet's decision"}) for c in chunk_document(*args, **kwargs)]

    monkeypatch.setattr(parsing, "chunk_document", with_context)
    monkeypatch.setattr(version, "PIPELINE_VERSION", version.PIPELINE_VERSION + 1)
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.updated_pipeline == 2, report.summary()
    data, *_ = load_index(index_dir)
    (i,) = [k for k, c in enumerate(data.chunks) if "approved a budget of 2.5 million pounds" in c.text]
    assert len(data.chunks[i].text) >= MIN_SHARED_PRINT_CHARS  # long enough to be matched by its words
    expected = embedder_for(settings).encode([data.chunks[i].search_text()])[0]
    assert float(np.dot(data.vectors[i], expected)) > 0.999
