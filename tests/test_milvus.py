"""Vectors in Milvus (COUNCILQA_VECTOR_STORE=milvus), against a real milvus-lite the tests start
themselves (a .db folder under the test's tmp folder): the same passages and answers as FAISS,
filters and access evaluated inside Milvus, no stale vectors after re-ingest, replace and
remove, and a failed or killed write that leaves the live index answering."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("pymilvus", reason="pymilvus is not installed (pip install 'councilqa[milvus]')")
pytest.importorskip("milvus_lite", reason="milvus-lite is not installed (pip install 'councilqa[milvus]')")

from pymilvus import MilvusClient  # noqa: E402

from conftest import DEMO  # noqa: E402
from councilqa.index.milvus_vectors import MilvusVectors, disconnect  # noqa: E402
from councilqa.index.search import Filters, Searcher  # noqa: E402
from councilqa.index.store import current_generation  # noqa: E402
from councilqa.index.vector_store import FaissVectors, Scope, VectorStoreUnavailable, read_record  # noqa: E402
from councilqa.ingest.maintenance import remove_documents  # noqa: E402
from councilqa.ingest.pipeline import ingest  # noqa: E402

# Our own questions about the demo papers (none is an evaluation question).
QUESTIONS = [
    "How much did the Department for Education give Blackpool for family safeguarding teams?",
    "By how much has the referral rate fallen over six months?",
    "How many Family Hubs were launched in 2023?",
    "Who helped to co-produce Blackpool Families Rock?",
    "What did Ofsted rate children's social care in December 2022?",
    "re-referral rate stabilised",
]
# Each narrows the demo papers differently; the committee's apostrophe must survive quoting.
FILTERS = [
    Filters(committee="young people's"),
    Filters(doc_type="minutes"),
    Filters(date_from="2024-03-01"),
    Filters(committee="scrutiny", date_to="2024-02-01"),
    Filters(document="cabinet-member-report-childrens-services.txt"),
]
SECRET_PAPER = "cabinet-member-report-childrens-services.txt"


def milvus_settings(settings, uri: Path, collection: str):
    return settings.model_copy(update={"vector_store": "milvus", "milvus_uri": str(uri), "milvus_collection": collection})


def rows_by_generation(uri: Path, collection: str) -> Counter:
    """What the collection holds, read straight from Milvus (not through councilqa)."""
    client = MilvusClient(uri=str(uri))
    client.load_collection(collection)  # milvus-lite opened again (after another process) starts released
    found = client.query(collection, filter="row >= 0", output_fields=["generation"], limit=16384)
    return Counter(row["generation"] for row in found)


@pytest.fixture(scope="module")
def milvus_demo(demo_index, settings, tmp_path_factory) -> tuple[Path, object]:
    """The demo index moved to Milvus: a copy of the FAISS-backed demo index, ingested again with
    the Milvus settings, so every vector is the FAISS index's own and only the engine differs."""
    root = tmp_path_factory.mktemp("milvus-demo")
    shutil.copytree(demo_index, root / "index")
    chosen = milvus_settings(settings, root / "vectors.db", "blackpool")
    report = ingest([DEMO], root / "index", chosen, progress=False)
    assert report.index_written and report.embedded == 0, report.summary()
    return root / "index", chosen


def test_milvus_index_finds_and_answers_as_faiss(milvus_demo, demo_index, settings):
    from councilqa.qa.answerer import Answerer

    index_dir, chosen = milvus_demo
    generation = current_generation(index_dir)
    assert read_record(generation)["store"] == "milvus" and not (generation / "dense.faiss").exists()
    on_milvus, on_faiss = Searcher(index_dir, chosen), Searcher(demo_index, settings)
    assert isinstance(on_milvus.dense, MilvusVectors) and isinstance(on_faiss.dense, FaissVectors)
    assert len(on_milvus.dense) == len(on_faiss.dense) == len(on_faiss.index)
    for question in QUESTIONS:
        assert [p.id for p in on_milvus.search(question, k=5)] == [p.id for p in on_faiss.search(question, k=5)], question
        assert ([p.id for p in on_milvus.search(question, k=10, mode="dense")]
                == [p.id for p in on_faiss.search(question, k=10, mode="dense")]), question
    milvus_answers, faiss_answers = Answerer(on_milvus), Answerer(on_faiss)
    for question in QUESTIONS[:3]:
        a, b = milvus_answers.answer(question), faiss_answers.answer(question)
        assert a.answer == b.answer, question
        assert [(c.document, c.start, c.end) for c in a.citations] == [(c.document, c.start, c.end) for c in b.citations]


def test_filters_are_evaluated_inside_milvus(milvus_demo, demo_index, settings):
    """The Milvus store is given the filters alone (no rows to select on), and returns exactly
    the rows FAISS returns when it selects on the rows the filters allow."""
    index_dir, chosen = milvus_demo
    on_milvus, on_faiss = Searcher(index_dir, chosen), Searcher(demo_index, settings)
    documents = on_faiss.index.documents
    for filters in FILTERS:
        allowed = on_faiss._allowed_rows(filters)
        assert allowed is not None and 0 < len(allowed) < len(on_faiss.index), filters
        for question in QUESTIONS[:3]:
            vector = on_faiss.embedder.encode_query(question)
            rows = on_milvus.dense.search(vector, 40, Scope(filters))
            assert rows and all(filters.accepts(documents[on_faiss.index.chunk(r).document_id]) for r in rows), filters
            assert rows == on_faiss.dense.search(vector, 40, Scope(filters, allowed)), filters


def test_public_never_gets_a_restricted_vector_hit(copy_demo, tmp_path, settings):
    (copy_demo / f"{SECRET_PAPER}.meta.json").write_text(json.dumps({"access": "restricted"}), encoding="utf-8")
    chosen = milvus_settings(settings, tmp_path / "vectors.db", "access_test")
    ingest([copy_demo], tmp_path / "index", chosen, progress=False)
    searcher = Searcher(tmp_path / "index", chosen)
    chunks = list(searcher.index.chunks())
    secret_rows = {row for row, c in enumerate(chunks) if c.document_id == SECRET_PAPER}
    assert secret_rows and len(secret_rows) < len(chunks)
    secret_text = chunks[min(secret_rows)].text
    vector = searcher.embedder.encode_query(secret_text)
    # Asked for every row, the public is given every public row and not one restricted.
    public = searcher.dense.search(vector, len(chunks), Scope(Filters()))
    assert sorted(public) == sorted(set(range(len(chunks))) - secret_rows)
    member = searcher.dense.search(vector, 5, Scope(Filters(include_restricted=True)))
    assert member[0] in secret_rows
    assert all(p.document != SECRET_PAPER for p in searcher.search(secret_text, k=10, filters=Filters()))
    assert searcher.search(secret_text, k=3, filters=Filters(include_restricted=True))[0].document == SECRET_PAPER
    # And through the service, as a caller without a token.
    from fastapi.testclient import TestClient

    from councilqa.api.app import create_app

    reply = TestClient(create_app(tmp_path / "index", chosen)).post("/api/ask", json={"question": secret_text[:300]})
    assert reply.status_code == 200, reply.text
    assert SECRET_PAPER not in reply.text and reply.json()["passages"]


def test_reingest_replace_and_remove_leave_no_stale_vectors(copy_demo, tmp_path, settings):
    uri, collection, index_dir = tmp_path / "vectors.db", "lifecycle", tmp_path / "index"
    # Any change would be a delta segment with FAISS (index/segments.py); Milvus writes it whole.
    chosen = milvus_settings(settings, uri, collection).model_copy(update={"delta_share": 1.0})
    ingest([copy_demo], index_dir, chosen, progress=False)
    first = current_generation(index_dir).name
    assert rows_by_generation(uri, collection) == {first: len(Searcher(index_dir, chosen).index)}

    # Replace one paper: its new words are found, its old ones are gone from the live generation.
    paper = copy_demo / "2024-03-27-cyp-scrutiny-minutes.txt"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        "The Committee agreed to take this item",
        "The Committee asked for a report on the Layton allotment waiting list.\n\nThe Committee agreed to take this item", 1),
        encoding="utf-8")
    assert ingest([copy_demo], index_dir, chosen, progress=False).updated == 1
    second = current_generation(index_dir).name
    assert not (current_generation(index_dir) / "delta").exists()
    searcher = Searcher(index_dir, chosen)
    hit = searcher.search("Layton allotment waiting list", k=1, mode="dense")[0]
    assert hit.document == paper.name and "Layton allotment" in hit.text
    # The previous generation is kept for readers that loaded it a moment ago; no other.
    assert rows_by_generation(uri, collection) == {first: rows_by_generation(uri, collection)[first],
                                                   second: len(searcher.index)}

    assert remove_documents(index_dir, [paper.name]) == [paper.name]  # settings from the index itself
    third = current_generation(index_dir).name
    searcher = Searcher(index_dir, chosen)
    assert isinstance(searcher.dense, MilvusVectors)
    assert all(p.document != paper.name for p in searcher.search("Layton allotment waiting list", k=10, mode="dense"))
    held = rows_by_generation(uri, collection)
    assert set(held) == {second, third} and held[third] == len(searcher.index)
    client = MilvusClient(uri=str(uri))
    assert not client.query(collection, filter=f'generation == "{third}" and document == "{paper.name}"',
                            output_fields=["row"], limit=10)


def test_a_copy_sharing_the_collection_never_deletes_the_original_vectors(copy_demo, tmp_path, settings):
    uri, collection = tmp_path / "vectors.db", "shared"
    chosen = milvus_settings(settings, uri, collection)
    ingest([copy_demo], tmp_path / "original", chosen, progress=False)
    original = current_generation(tmp_path / "original").name
    shutil.copytree(tmp_path / "original", tmp_path / "copy")
    # Two writes to the copy: the second retires the generation both folders started from.
    for n, words in enumerate(["The Committee noted the Layton library repairs.", "The Committee noted the pier lighting."]):
        (copy_demo / f"2024-05-0{n + 1}-note.txt").write_text(f"MINUTES\n\n{words}\n", encoding="utf-8")
        assert ingest([copy_demo], tmp_path / "copy", chosen, progress=False).added == 1
    assert current_generation(tmp_path / "copy").name != original
    assert original in rows_by_generation(uri, collection)
    assert Searcher(tmp_path / "original", chosen).search("Young Inspectors programme", k=3)


# The child ingests into a Milvus-backed index and is killed after its vectors are in Milvus
# and before its generation is live: the worst moment for the vectors.
KILLED_CHILD = textwrap.dedent("""
    import pathlib, sys, time
    from councilqa.index import store
    from councilqa.ingest import pipeline
    marker, papers, index_dir = sys.argv[1:4]
    real = store.write_vectors
    def write_then_stall(*args, **kwargs):
        record = real(*args, **kwargs)
        pathlib.Path(marker).write_text("vectors written")
        time.sleep(600)
    store.write_vectors = write_then_stall
    pipeline.ingest([pathlib.Path(papers)], pathlib.Path(index_dir), progress=False)
""")


def test_failed_or_killed_write_leaves_the_live_index_answering(copy_demo, tmp_path, settings, monkeypatch):
    from councilqa.index import store

    uri, collection, index_dir = tmp_path / "vectors.db", "failures", tmp_path / "index"
    chosen = milvus_settings(settings, uri, collection)
    ingest([copy_demo], index_dir, chosen, progress=False)
    live = current_generation(index_dir).name
    live_rows = rows_by_generation(uri, collection)
    (copy_demo / "2024-04-10-parks.txt").write_text(
        "MINUTES\n\nThe Committee agreed to plant 400 trees in Stanley Park this winter.\n", encoding="utf-8")

    # A write that fails after its vectors reached Milvus (the disk fills up, say).
    real = store.write_vectors

    def write_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError("no space left on device (made by the test)")

    monkeypatch.setattr(store, "write_vectors", write_then_fail)
    with pytest.raises(OSError, match="no space left"):
        ingest([copy_demo], index_dir, chosen, progress=False)
    monkeypatch.undo()
    assert current_generation(index_dir).name == live
    assert rows_by_generation(uri, collection) == live_rows  # its vectors were taken out again
    assert Searcher(index_dir, chosen).search("Young Inspectors programme", k=3)

    # A write killed at the same moment cannot clean up: its vectors stay in Milvus, unsearched.
    disconnect(str(uri))  # milvus-lite serves one process: let the child open the folder
    marker = tmp_path / "killed.ready"
    env = dict(os.environ, COUNCILQA_VECTOR_STORE="milvus", COUNCILQA_MILVUS_URI=str(uri),
               COUNCILQA_MILVUS_COLLECTION=collection)
    child = subprocess.Popen([sys.executable, "-c", KILLED_CHILD, str(marker), str(copy_demo), str(index_dir)], env=env)
    deadline = time.time() + 300
    while not marker.exists():
        assert child.poll() is None, "ingest child exited before writing its vectors"
        assert time.time() < deadline, "ingest child never wrote its vectors"
        time.sleep(0.2)
    # While the child has the milvus-lite folder open, this process is told why it cannot be.
    with pytest.raises(VectorStoreUnavailable, match="another process has it open"):
        Searcher(index_dir, chosen)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    held = rows_by_generation(uri, collection)
    assert current_generation(index_dir).name == live and len(held) == 2  # the live one and the killed run's
    searcher = Searcher(index_dir, chosen)
    assert searcher.search("Young Inspectors programme", k=3)
    assert all("Stanley Park" not in p.text for p in searcher.search("trees in Stanley Park", k=5))

    # The next run deletes the killed run's vectors, and adds the paper.
    assert ingest([copy_demo], index_dir, chosen, progress=False).added == 1
    assert set(rows_by_generation(uri, collection)) == {live, current_generation(index_dir).name}
    assert Searcher(index_dir, chosen).search("trees in Stanley Park", k=1)[0].document == "2024-04-10-parks.txt"


def test_unreachable_milvus_is_named_and_nothing_is_written(copy_demo, tmp_path, settings):
    from live import free_port

    unreachable = settings.model_copy(update={"vector_store": "milvus", "milvus_uri": f"http://127.0.0.1:{free_port()}",
                                              "milvus_timeout": 3.0})
    with pytest.raises(VectorStoreUnavailable, match="cannot be reached"):
        ingest([copy_demo], tmp_path / "index", unreachable, progress=False)
    assert not (tmp_path / "index" / "CURRENT").exists()
    assert not [p for p in (tmp_path / "index").iterdir() if p.name.endswith(".partial")]
