"""Benchmark (not a test): adding 10 papers to a large index as a delta segment (index/segments.py)
versus writing the whole index again, as every ingest did before segments (issue 13).

    .venv/bin/python benchmarks/incremental_add.py [--index var/bench-kent] [--size 100000]

The index (built by `councilqa ingest ../shared/corpus/kent --index var/bench-kent`) is grown to
--size passages by benchmarks/scale.py's `grow` (perturbed copies of its papers, their vectors
the source's plus noise) and written once, whole. The same 10 new papers as scale.py's (10 Kent
papers' cleaned texts, perturbed: papers the index has never seen) are then added through the
real ingest, each way in a fresh process on its own copy of the grown index:

- delta: the default settings (COUNCILQA_DELTA_SHARE 0.10): the base carried over by hard link,
  only a delta segment written;
- whole: COUNCILQA_DELTA_SHARE=0: the whole generation written again.

Printed for each: wall and CPU seconds of the ingest (model load, parsing and embedding the 10
papers included, the same in both), its seconds reading the live index (IngestReport.seconds
["read"]: the catalogue, before parsing; with the CPU seconds of the stored-vector look-ups as
passages came, seconds["lookup"]; a whole write's own read of the passages is in the index-writing
seconds) and the stored vectors it read (IngestReport.vectors_read, the whole write's included),
its peak resident memory, its index-writing seconds (IngestReport.seconds["index"]),
bytes passed to write() by the process (wchar: the embedding journal and SQLite's own journal
included), and bytes of the new generation not shared with the previous one (new files, as
opposed to hard links). Then a full rebuild's time, estimated as scale.py does (the passages an
ingest would embed / the embedding rate measured here on a sample, + the whole write measured
when growing), and each way's share of it. Before the adds, a fresh process times reading the
grown index whole (store.load_index), which is what every ingest read before it read on demand."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import EMBED_SAMPLE, embedding_rate, new_papers, vocabulary, written_bytes  # noqa: E402


def inodes(folder: Path) -> set[tuple[int, int]]:
    return {(f.stat().st_dev, f.stat().st_ino) for f in folder.rglob("*") if f.is_file()}


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss, which Linux carries
    over an exec from the forking process: every child of this script reported the parent's size,
    the grown index and the model included."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_add(index_dir: Path, folder: Path) -> dict:
    """In a fresh process: add the papers in `folder` as `councilqa ingest` would, and measure."""
    from councilqa.index.store import current_generation
    from councilqa.ingest.pipeline import ingest
    from councilqa.settings import get_settings

    before_files = inodes(index_dir)
    before, started, cpu_started = written_bytes(), time.perf_counter(), time.process_time()
    report = ingest([folder], index_dir, get_settings(), progress=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    generation = current_generation(index_dir)
    files = [f for f in generation.rglob("*") if f.is_file()]
    fresh = sum(f.stat().st_size for f in files if (f.stat().st_dev, f.stat().st_ino) not in before_files)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "cpu_s": cpu, "index_s": report.seconds["index"], "embed_s": report.seconds["embed"],
            # Reading the live index (absent before ingests read on demand: see child_read).
            "read_s": report.seconds.get("read"), "lookup_s": report.seconds.get("lookup"),
            "vectors_read": getattr(report, "vectors_read", None),
            "peak_rss_mb": peak_rss_mib(),
            "written_mb": (written_bytes() - before) / 1e6, "new_files_mb": fresh / 1e6,
            "generation_mb": sum(f.stat().st_size for f in files) / 1e6, "added": report.added,
            "passages_new": report.passages_new, "passages": report.passages_total, "segments": manifest.get("segments")}


def child_read(index_dir: Path) -> dict:
    """In a fresh process: read the index whole, every passage and vector (store.load_index), as
    every ingest did before it read only its catalogue and the vectors it reuses."""
    from councilqa.index.store import load_index

    started = time.perf_counter()
    data, _, _, _ = load_index(index_dir)
    return {"seconds": time.perf_counter() - started, "passages": len(data.chunks)}


def child_grow(source: Path, size: int, index_dir: Path) -> dict:
    from scale import child_grow as grow_and_write

    return grow_and_write(source, size, index_dir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent")
    parser.add_argument("--size", type=int, default=100_000, help="passages to grow the index to")
    parser.add_argument("--child-grow", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-add", type=Path, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-read", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_grow:
        print(json.dumps(child_grow(Path(args.child_grow[0]), int(args.child_grow[1]), Path(args.child_grow[2]))))
        return 0
    if args.child_read:
        print(json.dumps(child_read(args.child_read)))
        return 0
    if args.child_add:
        print(json.dumps(child_add(*args.child_add)))
        return 0
    if not (args.index / "CURRENT").is_file():
        print(f"skipped: no index at {args.index} (build one with `councilqa ingest ../shared/corpus/kent --index {args.index}`)")
        return 0
    import os

    from councilqa.index.store import load_index
    from councilqa.settings import get_settings

    settings = get_settings()
    data, _, _, _ = load_index(args.index, settings)
    vocab = vocabulary(data.texts.values())
    rate, _, distinct = embedding_rate(data, settings)
    print(f"{len(data.chunks)} passages in {args.index}; embedding {rate:.0f} passages/s measured on {EMBED_SAMPLE} "
          f"(precision {settings.embedding_precision}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)
    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "var", prefix="incremental-") as tmp:
        grown, papers = Path(tmp, "grown"), Path(tmp, "papers")
        papers.mkdir()
        row = in_child_here("--child-grow", str(args.index), str(args.size), str(grown))
        print(f"grown to {row['passages']} passages, {row['papers']} papers: written whole in {row['write_s']:.1f} s, "
              f"{row['disk_mb']:.0f} MB", flush=True)
        whole_read = in_child_here("--child-read", str(grown))
        print(f"reading it whole (every passage and vector, as an ingest did before it read on demand): "
              f"{whole_read['seconds']:.1f} s", flush=True)
        new_papers(data, vocab, papers)
        rebuild_s = row["passages"] * distinct / rate + row["write_s"]
        print(f"full rebuild (estimated: {row['passages'] * distinct:.0f} passages embedded at {rate:.0f}/s + the whole "
              f"write): {rebuild_s:.0f} s", flush=True)
        print("add 10 papers | seconds (CPU) | reading the index s (look-ups CPU s) | stored vectors read | "
              "index-writing s | peak memory MiB | written MB (wchar) | new files MB | generation MB | passages added | "
              "share of a full rebuild | segments")
        for way, share in (("delta", None), ("whole", "0")):
            copy = Path(tmp, way)
            shutil.copytree(grown, copy)
            env = {"COUNCILQA_DELTA_SHARE": share} if share is not None else {}
            add = in_child_here("--child-add", str(copy), str(papers), env=env)
            read = "n/a" if add["read_s"] is None else f"{add['read_s']:.2f} ({add['lookup_s'] or 0:.2f})"
            print(f"{way} | {add['seconds']:.1f} ({add['cpu_s']:.1f}) | {read} | {add['vectors_read']} | "
                  f"{add['index_s']:.2f} | {add['peak_rss_mb']:.0f} | {add['written_mb']:.1f} | "
                  f"{add['new_files_mb']:.1f} | {add['generation_mb']:.0f} | {add['passages_new']} | "
                  f"{add['seconds'] / rebuild_s:.1%} | {add['segments']}", flush=True)
            shutil.rmtree(copy)
    return 0


def in_child_here(*args: str, env: dict[str, str] | None = None) -> dict:
    """Run this script with `args` in a fresh process (with `env` added) and read its last line."""
    import os
    import subprocess

    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})}).stdout
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
