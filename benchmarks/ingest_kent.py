"""Benchmark (not a test): ingest the Kent corpus into a fresh index with councilqa and with the
naive LangChain pipeline, in one run, each in its own process so peak memory is its own.

    .venv/bin/python benchmarks/ingest_kent.py [--corpus ../shared/corpus/kent] [--skip-naive] [--keep-index DIR]

councilqa embeds with the model and precision the settings give (COUNCILQA_EMBEDDING_MODEL,
COUNCILQA_EMBEDDING_PRECISION; COUNCILQA_NATIVE_BFLOAT16=false runs "auto" as on a CPU without
native bfloat16), printed with the table; the naive pipeline always embeds with
sentence-transformers' all-MiniLM-L6-v2 in float32. `--keep-index DIR` keeps councilqa's index
there (a new folder) instead of a temporary one, to evaluate it afterwards.

Prints pages, passages, seconds per stage (parse, chunk, embed, index), pages per second and
peak memory for each, and the speed-up of councilqa over the naive pipeline. Model loading is
reported separately and included in the totals of both (councilqa loads it in a background
thread while parsing the first files, so its load overlaps parsing). CPU seconds (user + system, all
threads) are printed beside wall time: on a shared 2-core machine another job stretches wall
time, CPU time much less, so compare ratios of CPU time when the machine was not quiet."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "kent"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def engine(embedder) -> str:
    return "onnxruntime" if type(embedder).__name__ == "OnnxEmbedder" else "torch"


def run_councilqa(corpus: Path, keep: Path | None = None) -> dict:
    from councilqa.index.embedder import embedder_for
    from councilqa.ingest.pipeline import ingest
    from councilqa.settings import get_settings

    settings = get_settings()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:  # ingest loads the model while it parses the first files
        report = ingest([corpus], keep or Path(tmp) / "index", settings, progress=False)
    total = time.perf_counter() - start
    embedder = embedder_for(settings)
    model_load = embedder.load_seconds
    return {
        "pipeline": "councilqa", "model": f"{settings.embedding_identity()['model']} ({embedder.precision}, {engine(embedder)})", "files": report.files, "pages": report.pages,
        "passages": report.passages_total, "embedded": report.embedded,
        "duplicates": report.duplicates, "failed": len(report.failed),
        "model_load_s": model_load, **{f"{k}_s": v for k, v in report.seconds.items()},
        "total_s": total, "cpu_s": cpu_seconds(), "peak_rss_mb": peak_rss_mb(),
    }


def run_naive(corpus: Path) -> dict:
    from councilqa.eval.naive_langchain import build_naive_index

    start = time.perf_counter()
    index = build_naive_index([corpus], corpus)
    total = time.perf_counter() - start
    t = index.timings
    return {
        "pipeline": "naive langchain", "model": "all-MiniLM-L6-v2 (float32, torch)", "files": index.counts["files"], "pages": index.counts["pages"],
        "passages": index.counts["chunks"], "embedded": index.counts["chunks"], "duplicates": 0,
        "failed": len(index.errors), "model_load_s": t.get("model_load_s", 0.0), "parse_s": t["parse_s"],
        "chunk_s": t["split_s"], "embed_s": t["embed_s"], "index_s": t["index_s"],
        "total_s": total, "cpu_s": cpu_seconds(), "peak_rss_mb": peak_rss_mb(),
    }


def cpu_note() -> str:
    """What "auto" took this CPU to have, and whether the settings said so rather than the CPU."""
    from councilqa.index.embedder import cpu_has_native_bfloat16, precision_for
    from councilqa.settings import get_settings

    settings = get_settings()
    told = "" if settings.native_bfloat16 is None else f", run as {'with' if settings.native_bfloat16 else 'without'} it (COUNCILQA_NATIVE_BFLOAT16)"
    return (f"this CPU {'has' if cpu_has_native_bfloat16() else 'lacks'} native bfloat16{told}; "
            f"COUNCILQA_EMBEDDING_PRECISION={settings.embedding_precision} -> {precision_for(settings)}")


def print_table(rows: list[dict]) -> None:
    columns = ["pipeline", "model", "files", "pages", "passages", "embedded", "model_load_s", "parse_s", "chunk_s",
               "embed_s", "index_s", "total_s", "cpu_s", "pages_per_s", "peak_rss_mb"]
    for row in rows:
        row["pages_per_s"] = row["pages"] / row["total_s"] if row["total_s"] else 0.0
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--keep-index", type=Path, help="keep councilqa's index in this new folder")
    parser.add_argument("--only", choices=["councilqa", "naive"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not any(args.corpus.rglob("*.pdf")):
        sys.exit(f"no PDFs under {args.corpus}")
    if args.keep_index and args.keep_index.exists():
        sys.exit(f"{args.keep_index} exists: --keep-index makes a new index")
    if args.only:  # child process: one pipeline, its figures as JSON on the last line
        result = run_councilqa(args.corpus, args.keep_index) if args.only == "councilqa" else run_naive(args.corpus)
        print(json.dumps(result))
        return
    rows = []
    for name in ["councilqa"] + ([] if args.skip_naive else ["naive"]):
        keep = ["--keep-index", str(args.keep_index.resolve())] if args.keep_index and name == "councilqa" else []
        out = subprocess.run([sys.executable, __file__, "--corpus", str(args.corpus), "--only", name, *keep],
                             check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print_table(rows)
    print(cpu_note())
    if len(rows) == 2:
        print(f"speed-up (naive total / councilqa total): {rows[1]['total_s'] / rows[0]['total_s']:.2f}x wall, "
              f"{rows[1]['cpu_s'] / rows[0]['cpu_s']:.2f}x CPU time")


if __name__ == "__main__":
    main()
