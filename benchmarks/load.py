"""Benchmark (not a test): how the service holds up when many councillors ask at once.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/load.py \\
        [--index var/bench-kent] [--corpus ../shared/corpus/kent] [--workers 1,2] [--users 1,10,50] \\
        [--seconds 60] [--councilqa .venv/bin/councilqa]

For each number of workers, starts `councilqa serve --workers N` on the Kent index (ingested from
the corpus first when the index folder holds no index; an existing index is used as it is), warms
every worker up, then for each number of users runs that many simulated users for `--seconds`:
each sends a question over HTTP (POST /api/ask), waits for the answer and sends the next at once
(no think time, so this is the most they can ask). Prints, per run, throughput (answers a
second), p50/p95/p99 and max latency, errors (anything but 200, and time-outs after `--timeout`
seconds), how many answers abstained, and the server processes' memory.

The questions are a councillor's, in this file's own words (not the evaluation sets'), about the
Kent papers' budget, reserves, family hubs, the minerals plan, devolution and so on, some as
follow-ups to an earlier question; each user goes through them in its own shuffled order. The
users run in this process (asyncio, one connection each), so they share the machine's cores with
the server: the figures are what one machine serving and asking gives, not the server alone."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What will the social care precept bring in next year?",
    "By what percentage is council tax going up in 2025-26?",
    "What is the total capital programme for 2025 to 2035?",
    "How big is the forecast overspend in adult social care this year?",
    "How much is in the general reserve?",
    "What did the section 25 statement say about the adequacy of reserves?",
    "How many family hubs are being kept open under the new contracts?",
    "Why was the family hubs decision called in to scrutiny?",
    "What services will families lose when the commissioned family hub contracts end?",
    "What period does the Kent Minerals and Waste Local Plan cover?",
    "What main modifications did the inspector recommend for the minerals and waste plan?",
    "What did the Liberal Democrats propose for highway maintenance in their budget amendment?",
    "How much did the Greens want to spend on community wardens?",
    "Was the Labour group's alternative budget agreed?",
    "What is the council's borrowing limit in the treasury management strategy?",
    "How much social care grant does KCC get from the government?",
    "What does the Armed Forces Covenant annual report say about support for veterans?",
    "What changes were made to the joint health scrutiny committee's terms of reference?",
    "What is the integrated care strategy delivery plan trying to achieve?",
    "Where is the 18-25 part of the Strengthening Independence Service moving to?",
    "How many extra school places does the education commissioning plan say are needed?",
    "How does KCC set its minimum revenue provision?",
    "How much capital support for fly-tipping did the Lib Dems want to give districts?",
    "What was proposed for electric vehicle chargers with LEVI money?",
    "What are the biggest risks in the budget risk register?",
    "How much is home to school transport costing the council?",
    "How is KCC performing on answering highways enquiries on time?",
    "When are the next county council elections?",
    "How much are the council's earmarked reserves?",
    "What savings are planned in children's services for 2025-26?",
]
# (earlier question, follow-up): sent with the earlier one as history, as the chat page does.
FOLLOW_UPS = [
    ("How much is in the general reserve?", "and the earmarked reserves?"),
    ("How big is the forecast overspend in adult social care this year?", "and in highways and transportation?"),
    ("What is the council's borrowing limit in the treasury management strategy?", "and the operational boundary?"),
]
REQUESTS = [{"question": q} for q in QUESTIONS] + [{"question": q, "history": [h]} for h, q in FOLLOW_UPS]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_processes(pid: int) -> list[int]:
    """The server's own process and the uvicorn workers it started."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid] + [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(ours: list[int]) -> tuple[float, float, float]:
    """CPU seconds used so far: by the whole machine, by `ours` (this process and the server's),
    and by the server's processes alone (ours but the last)."""
    tick = os.sysconf("SC_CLK_TCK")
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    machine = (sum(fields) - fields[3] - fields[4]) / tick  # all but idle and iowait
    used = []
    for pid in ours:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used.append((int(stat[11]) + int(stat[12])) / tick)  # utime + stime
        except (OSError, IndexError):
            used.append(0.0)
    return machine, sum(used), sum(used[:-1])


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


async def user(client: httpx.AsyncClient, base: str, number: int, stop_at: float, timeout: float, out: dict) -> None:
    order = REQUESTS[:]
    random.Random(number).shuffle(order)
    i = 0
    while time.monotonic() < stop_at:
        body = order[i % len(order)]
        i += 1
        started = time.monotonic()
        try:
            response = await client.post(f"{base}/api/ask", json=body, timeout=timeout)
            ok = response.status_code == 200
            if ok:
                out["abstained"] += response.json()["abstained"]
            else:
                out["statuses"][response.status_code] = out["statuses"].get(response.status_code, 0) + 1
        except httpx.HTTPError as exc:
            ok = False
            out["statuses"][type(exc).__name__] = out["statuses"].get(type(exc).__name__, 0) + 1
        (out["latencies"] if ok else out["failed"]).append(time.monotonic() - started)


async def run_level(base: str, users: int, seconds: float, timeout: float) -> dict:
    out: dict = {"latencies": [], "failed": [], "abstained": 0, "statuses": {}}
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(limits=limits) as client:
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(*(user(client, base, n, stop_at, timeout, out) for n in range(users)))
        out["elapsed"] = time.monotonic() - started
    return out


def wait_ready(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"councilqa serve exited with status {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/api/health", timeout=5).json().get("ready"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    raise SystemExit(f"councilqa serve was not ready in 600 s:\n{log.read_text()[-3000:]}")


def measure(councilqa: Path, index: Path, workers: int, levels: list[int], seconds: float, timeout: float) -> list[dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.gettempdir()) / f"councilqa-load-serve-{port}.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([str(councilqa), "serve", "--index", str(index), "--port", str(port),
                                   "--workers", str(workers)], stdout=out, stderr=subprocess.STDOUT)
    rows = []
    try:
        wait_ready(base, server, log)
        # Every worker loaded and warm: a question waits for its worker's models, so a burst of
        # a few rounds of questions reaches them all before anything is timed.
        asyncio.run(run_level(base, 4 * workers, 20, 600))
        for users in levels:
            ours = server_processes(server.pid) + [os.getpid()]
            before = cpu_seconds(ours)
            result = asyncio.run(run_level(base, users, seconds, timeout))
            after = cpu_seconds(ours)
            # CPU that other processes took meanwhile (in cores): anything much above 0 makes the
            # figures worse than the service alone would give.
            others = max(0.0, (after[0] - before[0]) - (after[1] - before[1])) / result["elapsed"]
            ordered = sorted(result["latencies"])
            memory = [rss_mb(p) for p in server_processes(server.pid)]
            row = {"workers": workers, "users": users, "seconds": round(result["elapsed"], 1),
                   "answers": len(ordered), "errors": len(result["failed"]), "error_kinds": result["statuses"],
                   "throughput": round(len(ordered) / result["elapsed"], 2),
                   "p50": round(percentile(ordered, 0.50), 3), "p95": round(percentile(ordered, 0.95), 3),
                   "p99": round(percentile(ordered, 0.99), 3), "max": round(ordered[-1], 3) if ordered else None,
                   "abstained": result["abstained"], "memory_mb": [round(m) for m in memory],
                   "server_cpu": round((after[2] - before[2]) / result["elapsed"], 2), "others_cpu": round(others, 2)}
            rows.append(row)
            print(f"workers {workers}  users {users:3d}  {row['answers']:5d} answers in {row['seconds']:.0f} s  "
                  f"{row['throughput']:6.2f}/s  p50 {row['p50']:.2f} s  p95 {row['p95']:.2f} s  p99 {row['p99']:.2f} s  "
                  f"max {row['max']:.2f} s  errors {row['errors']} {row['error_kinds'] or ''}  "
                  f"abstained {row['abstained']}  memory MB {row['memory_mb']}  CPU cores: server {row['server_cpu']}, "
                  f"other processes {row['others_cpu']}", flush=True)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent",
                        help="index folder (used as it is when it holds an index; else the corpus is ingested into it)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "kent")
    parser.add_argument("--workers", default="1,2", help="comma-separated numbers of server processes")
    parser.add_argument("--users", default="1,10,50", help="comma-separated numbers of concurrent users")
    parser.add_argument("--seconds", type=float, default=60, help="how long each number of users asks")
    parser.add_argument("--timeout", type=float, default=60, help="a question unanswered this long is an error")
    parser.add_argument("--councilqa", type=Path, default=Path(sys.executable).with_name("councilqa"),
                        help="the councilqa command to serve with (another install, say)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    index = args.index.resolve()
    if not (index / "CURRENT").is_file():
        if not args.corpus.is_dir():
            print(f"no index in {index} and no corpus at {args.corpus}", file=sys.stderr)
            return 2
        subprocess.run([str(args.councilqa), "ingest", str(args.corpus), "--index", str(index), "--quiet"], check=True)
    precision = os.environ.get("COUNCILQA_EMBEDDING_PRECISION", "auto")
    print(f"index {index} ({(index / 'CURRENT').read_text().strip()}), embeddings {precision}, "
          f"{len(REQUESTS)} questions, {os.cpu_count()} CPUs, {args.seconds:g} s a run", flush=True)
    rows = []
    for workers in (int(w) for w in args.workers.split(",")):
        rows += measure(args.councilqa, index, workers, [int(u) for u in args.users.split(",")], args.seconds, args.timeout)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
