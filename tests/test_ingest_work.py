"""Ingest does no needless work and never hangs: words printed twice for one meeting are
embedded once, large runs parse in a child process with the same result, and a failure in the
file feeder reaches the caller instead of leaving it waiting."""

from __future__ import annotations

import threading

import numpy as np

from councilqa.index.search import Searcher
from councilqa.index.store import load_index
from councilqa.ingest import embedding, parsing
from councilqa.ingest.pipeline import ingest

REPRINTED = ("The Cabinet Member for Community Services confirmed that the mobile library service "
             "will visit 212 villages each month from April 2025, funded by the rural services grant.")


def test_a_paragraph_reprinted_in_the_meeting_pack_is_embedded_once_and_cited_from_both(tmp_path, settings):
    meeting = tmp_path / "papers" / "2025-02-13-full-council"
    for folder in ("originals", "public-packs"):
        (meeting / folder).mkdir(parents=True)
    (meeting / "originals" / "cabinet-member-report.md").write_text(
        f"# Libraries report\n\n## Mobile libraries\n\n{REPRINTED}\n\n## Opening hours\n\n"
        "Sandwich library will open on Saturday mornings from June 2025.\n")
    (meeting / "public-packs" / "council-pack.md").write_text(
        f"# County Council pack\n\n## Report of the Cabinet Member\n\n{REPRINTED}\n\n## Highways\n\n"
        "The council resurfaced 41 miles of rural roads in the year.\n")
    later = tmp_path / "papers" / "2025-03-13-full-council"
    later.mkdir()
    (later / "update.md").write_text(f"# Libraries update\n\n## Progress\n\n{REPRINTED}\n")
    report = ingest([tmp_path / "papers"], tmp_path / "index", settings, progress=False)

    data, *_ = load_index(tmp_path / "index")
    copies = {data.chunks[row].document_id: row for row, chunk in enumerate(data.chunks) if "212 villages" in chunk.text}
    original, pack, update = (copies[name] for name in (
        "2025-02-13-full-council/originals/cabinet-member-report.md",
        "2025-02-13-full-council/public-packs/council-pack.md", "2025-03-13-full-council/update.md"))
    assert data.chunks[original].section != data.chunks[pack].section
    np.testing.assert_array_equal(data.vectors[original], data.vectors[pack])
    # Another meeting's copy is embedded with its own heading.
    assert not np.array_equal(data.vectors[original], data.vectors[update])
    assert report.embedded == len(data.chunks) - 1 and report.reused_vectors == 1

    hit = Searcher(tmp_path / "index", settings).search("How many villages will the mobile library visit?", k=1)[0]
    assert "212 villages" in hit.text
    assert {hit.document, *hit.also_in} == set(copies)


def test_parsing_in_a_child_process_gives_the_same_passages(copy_demo, tmp_path, settings, monkeypatch):
    ingest([copy_demo], tmp_path / "here", settings, progress=False)  # few files: parsed in this process

    submitted = []

    class CountingPool(parsing.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(args[1].doc_id)
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(parsing, "CHILD_PROCESS_MIN_FILES", 1)
    monkeypatch.setattr(parsing, "ProcessPoolExecutor", CountingPool)
    ingest([copy_demo], tmp_path / "child", settings, progress=False)

    assert len(submitted) == len(list(copy_demo.iterdir()))
    here, *_ = load_index(tmp_path / "here")
    child, *_ = load_index(tmp_path / "child")
    fields = lambda c: (c.id, c.document_id, c.page, c.section, c.kind, c.text, c.reading, c.context)  # noqa: E731
    assert [fields(c) for c in child.chunks] == [fields(c) for c in here.chunks]
    assert child.documents == here.documents


def test_a_failure_while_feeding_files_reaches_the_caller(copy_demo, tmp_path, settings, monkeypatch):
    def broken(self, source, data, content_hash):
        raise RuntimeError(f"disk went away reading {source.doc_id}")

    monkeypatch.setattr(parsing.Parser, "parse", broken)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            ingest([copy_demo], tmp_path / "index", settings, progress=False)
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "ingest hung waiting for a file feeder that had failed"
    assert outcome and isinstance(outcome[0], RuntimeError) and "disk went away" in str(outcome[0])
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_the_process_waits_for_the_model_loading_at_exit(tmp_path, settings, monkeypatch):
    """The model loads in a thread while the first files are parsed. A run that ends first (every
    file failed) must wait for it at exit: a daemon thread still inside onnxruntime when Python
    shuts down is stopped mid-call and the process aborts ("terminate called without an active
    exception", exit -6) after printing its report. The loader is started from the parsing
    thread, a daemon, whose daemon flag a new thread would inherit."""
    loading: list[bool] = []
    monkeypatch.setattr(embedding.EmbeddingQueue, "_load_quietly",
                        lambda self: loading.append(threading.current_thread().daemon))
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "note.md").write_text("# Note\n\nThe library opens at nine.\n")
    ingest([tmp_path / "papers"], tmp_path / "index", settings, progress=False)
    assert loading == [False]
