"""An ingest killed with -9 while its parser process is parsing leaves no process behind: not the
parser (it asked the kernel to kill it with its parent) and not multiprocessing's resource
tracker (it exits when the last process that could talk to it is gone)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from councilqa.ingest import parsing
from pdfs import text_pdf

COUNCILQA = Path(sys.executable).with_name("councilqa")
WORDS = ("council committee budget report housing school transport library park road care decision "
         "agreed member officer scrutiny cabinet ward resident consultation").split()


def _papers(folder: Path, files: int, pages: int) -> Path:
    """Enough made-up PDFs that the parser process is used and parsing takes several seconds."""
    folder.mkdir()
    rng = random.Random(15)
    for i in range(files):
        text_pdf(folder / f"paper-{i:02d}.pdf",
                 [[f"Paper {i}, page {p}"] + [" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(45)]
                  for p in range(pages)], title=f"Paper {i}")
    return folder


def _processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, start ticks, state) of every process."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(name)] = (int(fields[1]), int(fields[19]), fields[0])
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _marked(marker: str) -> set[int]:
    """Processes that carry the marker in their environment (children inherit it)."""
    found = set()
    for pid in _processes():
        try:
            if marker.encode() in Path(f"/proc/{pid}/environ").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


def _descendants(root: int, processes: dict) -> set[int]:
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, (parent, _, _) in processes.items() if parent in frontier} - found
        found |= frontier
    return found


def test_killing_ingest_during_parsing_leaves_no_process_behind(tmp_path):
    assert Path("/proc/self/stat").exists(), "this test reads /proc"
    papers = _papers(tmp_path / "papers", files=max(parsing.CHILD_PROCESS_MIN_FILES + 4, 24), pages=40)
    marker = f"COUNCILQA_ORPHAN_TEST={uuid.uuid4().hex}"
    name, value = marker.split("=")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", name: value}
    ingest = subprocess.Popen([str(COUNCILQA), "ingest", str(papers), "--index", str(tmp_path / "index"), "--quiet"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        worker = None
        while worker is None:
            assert ingest.poll() is None, ingest.stderr.read().decode()
            assert time.monotonic() < deadline, "the parser process never started"
            children = _descendants(ingest.pid, _processes())
            worker = next((pid for pid in children if "multiprocessing.spawn" in _cmdline(pid)), None)
            time.sleep(0.1)
        time.sleep(1.0)  # well into parsing
        processes = _processes()
        # The parser is still there, so parsing is still going on (it exits when parsing is done).
        assert worker in processes and ingest.poll() is None, "parsing finished before the kill: make the PDFs bigger"
        before = {pid: processes[pid][1] for pid in _descendants(ingest.pid, processes)}
        assert {worker} < set(before), before  # the parser and at least the resource tracker
        os.kill(ingest.pid, signal.SIGKILL)
        killed = time.monotonic()
    finally:
        if ingest.poll() is None:
            ingest.kill()
        ingest.wait()

    def left() -> dict[int, str]:
        now = _processes()
        alive = {pid for pid, ticks in before.items() if pid in now and now[pid][1] == ticks}
        alive |= _marked(marker) - {os.getpid()}
        return {pid: _cmdline(pid) for pid in alive if pid in now and now[pid][2] not in ("Z", "X")}

    remaining = left()
    while remaining and time.monotonic() - killed < 5:
        time.sleep(0.05)
        remaining = left()
    for pid in remaining:  # do not leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert not remaining, f"still running 5 s after the ingest was killed: {remaining}"
    print(f"all {len(before)} child processes gone {time.monotonic() - killed:.2f} s after the kill")
