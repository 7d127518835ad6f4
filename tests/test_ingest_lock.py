"""Two writers into one index take turns: two `councilqa ingest` runs at once both land their
papers, an ingest told not to wait says so and fails, a holder killed with -9 leaves the index
unlocked, the server's admin routes take the same lock, and the clean-up after a write removes
only partial generations whose writer is provably gone."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from councilqa.index import lock
from councilqa.index.lock import IndexBusy, writer_lock
from councilqa.index.store import IndexData, load_index, write_index
from councilqa.schema import Chunk, Document

COUNCILQA = Path(sys.executable).with_name("councilqa")
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}

# Holds an index's writer lock in another process until killed.
HOLDER = textwrap.dedent("""
    import pathlib, sys, time
    from councilqa.index.lock import writer_lock
    with writer_lock(pathlib.Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(600)
""")


def _paper(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingest_cmd(path: Path, index_dir: Path, *options: str) -> list[str]:
    return [str(COUNCILQA), "ingest", str(path), "--index", str(index_dir), "--quiet", *options]


@pytest.fixture()
def holder(tmp_path):
    """Start a process that holds the lock of tmp_path/index; yields it; kills it afterwards."""
    started: list[subprocess.Popen] = []

    def start(index_dir: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(index_dir)], stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout.readline().strip() == "held"
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_two_ingests_at_once_both_land_their_papers(tmp_path):
    index_dir = tmp_path / "index"
    a = _paper(tmp_path / "cron", "allotments.md",
               "# Allotments\n\nThe Committee agreed to review the allotments waiting list in Brunswick ward.\n")
    b = _paper(tmp_path / "admin", "libraries.md",
               "# Libraries\n\nSandwich library will open on Saturday mornings from June 2025.\n")
    runs = [subprocess.Popen(_ingest_cmd(path, index_dir), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for path in (a, b)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, err
        assert "1 added" in out, out
    data, *_ = load_index(index_dir)
    assert set(data.documents) == {"allotments.md", "libraries.md"}
    assert {c.document_id for c in data.chunks} == {"allotments.md", "libraries.md"}
    # They did run at once: the later one said whom it was waiting for (each holds the lock for
    # the seconds its model takes to load, far longer than the gap between their starts).
    waits = [re.search(r"waiting for the ingest by pid (\d+) started at", err) for _, err in outputs]
    assert sum(bool(w) for w in waits) == 1, [err for _, err in outputs]
    waiter = next(i for i, w in enumerate(waits) if w)
    assert int(waits[waiter].group(1)) == runs[1 - waiter].pid


def test_an_ingest_told_not_to_wait_refuses_plainly(tmp_path, holder):
    index_dir = tmp_path / "index"
    paper = _paper(tmp_path / "papers", "note.md", "# Note\n\nThe Committee noted the report.\n")
    held = holder(index_dir)
    for options, least in ((["--no-wait"], 0.0), (["--wait", "1"], 1.0)):
        t0 = time.monotonic()
        run = subprocess.run(_ingest_cmd(paper, index_dir, *options), env=ENV, capture_output=True, text=True,
                             timeout=300, check=False)
        assert run.returncode == 3
        assert time.monotonic() - t0 >= least
        assert f"being changed by the ingest by pid {held.pid} started at" in run.stderr
        assert "nothing was ingested" in run.stderr
        assert "added" not in run.stdout
    assert not (index_dir / "CURRENT").exists()


def test_a_killed_holder_leaves_the_index_unlocked(tmp_path, holder):
    index_dir = tmp_path / "index"
    held = holder(index_dir)
    with pytest.raises(IndexBusy, match=f"pid {held.pid}"), writer_lock(index_dir, wait=0):
        pass
    os.kill(held.pid, signal.SIGKILL)
    held.wait()
    with writer_lock(index_dir, wait=0):  # at once: the kernel dropped the dead holder's lock
        assert lock.read_holder(index_dir)["pid"] == os.getpid()


def test_the_lock_is_reentrant_for_its_thread_and_exclusive_for_others(tmp_path):
    index_dir = tmp_path / "index"
    seen: list[BaseException | None] = []

    def other_thread() -> None:
        try:
            with writer_lock(index_dir, wait=0):
                seen.append(None)
        except IndexBusy as exc:
            seen.append(exc)

    with writer_lock(index_dir), writer_lock(index_dir, wait=0):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert isinstance(seen[0], IndexBusy)
    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen[1] is None


def _tiny_index() -> IndexData:
    """One made-up passage with a made-up vector: enough to write a generation, no model needed."""
    text = "The Committee noted the report."
    document = Document(id="note.md", title="Note", format="markdown", content_hash="0" * 64)
    chunk = Chunk(id="note.md#0", document_id="note.md", text=text, start=0, end=len(text))
    return IndexData({"note.md": document}, {"note.md": text}, [chunk], np.ones((1, 384), dtype=np.float32) / 384 ** 0.5)


def _partial(index_dir: Path, pid: int, ticks: int) -> Path:
    folder = index_dir / f".gen-20260101-000000-{os.urandom(4).hex()}.{pid}-{ticks}.partial"
    folder.mkdir(parents=True)
    (folder / "store.sqlite").write_bytes(b"half written")
    return folder


def test_clean_up_removes_only_partial_generations_whose_writer_is_gone(tmp_path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    live = subprocess.Popen(["sleep", "60"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    try:
        live_ticks = lock._start_ticks(live.pid)
        assert live_ticks
        writing = _partial(index_dir, live.pid, live_ticks)  # another writer, still at work
        crashed = _partial(index_dir, dead.pid, 1234)  # its writer is gone
        reused = _partial(index_dir, live.pid, live_ticks - 1)  # that pid now belongs to a later process
        ours = _partial(index_dir, os.getpid(), 1)  # left by this very process (it holds the lock)
        write_index(index_dir, _tiny_index())
        assert writing.is_dir()
        assert not crashed.exists() and not reused.exists() and not ours.exists()
        live.kill()
        live.wait()
        write_index(index_dir, _tiny_index())
        assert not writing.exists()
    finally:
        live.kill()
        live.wait()
    assert [p.name for p in index_dir.iterdir() if p.name.endswith(".partial")] == []


def test_admin_changes_take_the_same_lock_and_refuse_while_another_writer_holds_it(tmp_path, settings, holder):
    from fastapi.testclient import TestClient

    from councilqa.api.app import create_app
    from councilqa.ingest.pipeline import ingest
    from councilqa.settings import Settings

    papers = tmp_path / "papers"
    _paper(papers, "parks.md", "# Parks\n\nThe council now maintains 47 parks.\n")
    _paper(papers, "roads.md", "# Roads\n\nThe council resurfaced 41 miles of rural roads in the year.\n")
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    admin = Settings(**{**settings.model_dump(), "admin_token": "s3cret-token"})
    client = TestClient(create_app(index_dir, admin))
    good = {"Authorization": "Bearer s3cret-token"}

    held = holder(index_dir)  # `councilqa ingest` running from cron, say
    refused = client.delete("/api/documents/parks.md", headers=good)
    assert refused.status_code == 409 and f"pid {held.pid}" in refused.json()["detail"]
    upload = client.post("/api/documents", headers=good, files={"file": ("note.txt", b"The council met.", "text/plain")})
    assert upload.status_code == 409
    assert set(load_index(index_dir)[0].documents) == {"parks.md", "roads.md"}

    held.kill()
    held.wait()
    deleted = client.delete("/api/documents/parks.md", headers=good)
    assert deleted.status_code == 200 and deleted.json()["removed"] == ["parks.md"]
    assert set(load_index(index_dir)[0].documents) == {"roads.md"}
