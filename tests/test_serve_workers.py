"""`councilqa serve --workers 2` as an administrator runs it: two server processes share one index
folder, answer over HTTP, and both answer from a new generation as soon as an ingest has written
it. Every paper is made up in the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from live import free_port

COUNCILQA = Path(sys.executable).with_name("councilqa")
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("COUNCILQA_")}, "HF_HUB_OFFLINE": "1"}
FERRY = ("Report to:\tCABINET\nDate of Meeting:\t9 October 2024\n\nFERRY TERMINAL\n\n"
         "The Cabinet agreed to spend 4.2 million pounds rebuilding the Eastport ferry terminal ramp.\n")
PARKING = ("Report to:\tCABINET\nDate of Meeting:\t9 October 2024\n\nPARKING\n\n"
           "The Cabinet agreed that parking on Harbour Street be free after 6pm from January 2025.\n")
BRIDGE = ("Report to:\tCABINET\nDate of Meeting:\t6 November 2024\n\nFOOTBRIDGE\n\n"
          "The Cabinet approved 730,000 pounds to repaint the Millbrook footbridge in spring 2025.\n")


def _ingest(papers: Path, index_dir: Path) -> None:
    result = subprocess.run([str(COUNCILQA), "ingest", str(papers), "--index", str(index_dir), "--quiet"],
                            capture_output=True, text=True, env=ENV, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _workers(pid: int) -> list[int]:
    """The server processes uvicorn started (multiprocessing's resource tracker aside)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _ask_many(base: str, question: str, times: int) -> list[dict]:
    def ask(_):
        with httpx.Client(timeout=180) as client:
            response = client.post(f"{base}/api/ask", json={"question": question})
            assert response.status_code == 200, response.text
            return response.json()

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(ask, range(times)))


def test_two_workers_answer_and_both_pick_up_a_new_generation(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (papers / "parking.txt").write_text(PARKING, encoding="utf-8")
    index_dir = tmp_path / "index"
    _ingest(papers, index_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([str(COUNCILQA), "serve", "--index", str(index_dir), "--port", str(port), "--workers", "2"],
                                  stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "not ready in 300 s:\n" + log.read_text()
            try:
                if httpx.get(f"{base}/api/health", timeout=5).json().get("ready"):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert len(_workers(server.pid)) == 2, log.read_text()

        # Several questions at once, so both workers answer (a question waits for its worker's models).
        for answer in _ask_many(base, "How much will rebuilding the Eastport ferry terminal ramp cost?", 8):
            assert "4.2 million" in answer["answer"] and answer["citations"][0]["document"] == "ferry.txt"

        # A new paper ingested while the server runs: every worker answers from the new generation.
        generation = (index_dir / "CURRENT").read_text()
        (papers / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
        _ingest(papers, index_dir)
        assert (index_dir / "CURRENT").read_text() != generation
        for answer in _ask_many(base, "How much was approved to repaint the Millbrook footbridge?", 12):
            assert "730,000" in answer["answer"] and answer["citations"][0]["document"] == "bridge.txt", answer
        assert len(_workers(server.pid)) == 2  # neither was restarted on the way
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
