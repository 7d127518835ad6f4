"""Benchmark (not a test): how councilqa scales as the index grows past the Kent corpus (issue 13).

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/scale.py \\
        [--index var/bench-kent] [--sizes 30000,100000] [--extrapolate 300000,1000000] \\
        [--add-up-to 300000] [--vector-store faiss|milvus] [--save results.json] [--keep var/grown]

`--sizes 30000,100000,300000,1000000` measures the large sizes too (1,000,000 took about 15
minutes and 11 GB of memory to grow and write). The index as built is always measured first.
`--vector-store milvus` keeps the grown indexes' vectors in milvus-lite instead of FAISS.
`--keep DIR` keeps each grown index in DIR/<size> and measures the one found there on a later
run instead of growing it again (the 10 papers are then added to a copy, left in a temporary
folder), so that two versions of the code can be measured on the same index.

The Kent index (built by `councilqa ingest ../shared/corpus/kent --index var/bench-kent`) is grown
by copies of every paper: copy N has ids prefixed `copy-N/`, meeting dates N years later, a new
content hash, and its words perturbed by a seeded, length-keeping rewrite (digits permuted, one
word in twenty of the vocabulary swapped for another of the same length; offsets, pages and table
rows stay consistent with the stored text), so no passage is a repeat of its source. Its vectors
are the source's plus noise, normalised again (benchmarks/vector_index.py's `grown`). Each size
is written with the store's own writer (write_index: SQLite, BM25, FAISS flat or HNSW by size).

Measured, for each size: the write time and the generation's size on disk; in a fresh process,
the time to construct Searcher and Answerer ("start"), resident memory after start and after
answering (VmRSS, peak VmHWM; MiB), the time to be ready as the service's warm-up is (a first
answer, which loads the query embedder, and finding the recorded votes) and answer latency
p50/p95 over eval/kent.jsonl (include_restricted); then, in another fresh process, adding 10 new
papers through the real ingest (time, bytes written by the process, size of the new generation),
up to --add-up-to passages (the ingest holds the whole index, vectors included, in memory).
The 10 papers are 10 Kent papers' cleaned texts written as .txt files, perturbed like a copy with
their own seed (a copy of a Kent PDF would be skipped as a duplicate of its bytes, and its
passages would reuse their stored vectors).

Extrapolated, not measured: a full rebuild's time = the passages the pipeline would embed (the
Kent index's share of distinct passages, as the embedding queue dedups them) / the embedding
throughput measured here on a sample of Kent passages (and, the best case, every core at the rate
measured per CPU second), + the write time measured at that size.
Parsing is left out (about 5 s for all of Kent, README), so the rebuild is a lower bound. Sizes in
--extrapolate that were not measured get a straight line through the measured sizes.
Skips (exit 0) when ../shared/corpus/kent is absent."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
KENT = ROOT.parent / "shared" / "corpus" / "kent"
QUESTIONS = ROOT / "eval" / "kent.jsonl"
SWAPPED = 0.05  # share of the vocabulary (words of 4+ letters) a copy swaps
WORD = re.compile(r"[A-Za-z]{4,}")
EMBED_SAMPLE = 1500


def memory_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak (VmRSS, VmHWM)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def written_bytes() -> int:
    """Bytes this process has passed to write() (wchar), whether or not they have reached the disk yet."""
    return int(dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())["wchar"])


def generation_mb(index_dir: Path) -> float:
    """The live generation's size, with milvus-lite's folder when the vectors are kept there."""
    from councilqa.index.store import current_generation

    folders = [current_generation(index_dir), index_dir / "milvus.db"]
    return sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file()) / 1e6


class Rewrite:
    """A deterministic, length-keeping perturbation of text: the same for every string of one copy."""

    def __init__(self, vocabulary: dict[int, list[str]], seed: int):
        rng = np.random.default_rng(seed)
        self.digits = str.maketrans("0123456789", "".join(map(str, rng.permutation(10))))
        self.words = {}
        for same_length in vocabulary.values():
            chosen = rng.random(len(same_length)) < SWAPPED
            for word, other in zip(np.array(same_length)[chosen], rng.choice(same_length, int(chosen.sum()))):
                self.words[str(word)] = str(other)

    def __call__(self, value):
        if isinstance(value, str):
            return WORD.sub(lambda m: self.words.get(m.group(), m.group()), value.translate(self.digits))
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


def vocabulary(texts) -> dict[int, list[str]]:
    words = sorted({w for text in texts for w in WORD.findall(text)})
    by_length: dict[int, list[str]] = {}
    for w in words:
        by_length.setdefault(len(w), []).append(w)
    return by_length


def later(iso: str | None, years: int) -> str | None:
    if not iso:
        return iso
    day = date.fromisoformat(iso)
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day).isoformat()


def copy_document(data, doc_id: str, rows: list[int], n: int, rewrite: Rewrite):
    """Document n of a copy: (Document, text, chunks), consistent with each other."""
    from councilqa.schema import Chunk

    doc, text = data.documents[doc_id], data.texts[doc_id]
    new_id, new_text = f"copy-{n}/{doc_id}", rewrite(text)
    new_doc = doc.model_copy(update={
        "id": new_id, "title": rewrite(doc.title), "meeting_date": later(doc.meeting_date, n), "locations": [],
        "content_hash": hashlib.sha256(f"{doc.content_hash} copy {n}".encode()).hexdigest()})
    chunks = []
    for row in rows:
        c = data.chunks[row]
        fields = {k: rewrite(v) for k, v in c.model_dump().items() if k in ("section", "context", "reading", "row")}
        fields["text"] = new_text[c.start:c.end] if text[c.start:c.end] == c.text else rewrite(c.text)
        chunks.append(Chunk.model_validate({**c.model_dump(), **fields, "id": f"copy-{n}/{c.id}", "document_id": new_id}))
    return new_doc, new_text, chunks


def grow(data, size: int, vocab: dict[int, list[str]]):
    """The index grown by whole copied papers to at least `size` passages (as built below its size)."""
    from councilqa.index.store import IndexData
    from vector_index import grown

    rows_by_doc: dict[str, list[int]] = {}
    for row, c in enumerate(data.chunks):  # the chunks are stored paper by paper
        rows_by_doc.setdefault(c.document_id, []).append(row)
    documents, texts, chunks = dict(data.documents), dict(data.texts), list(data.chunks)
    pipeline = dict(data.pipeline)
    n = 0
    while len(chunks) < size:
        n += 1
        rewrite = Rewrite(vocab, seed=n)
        for doc_id, rows in rows_by_doc.items():
            if len(chunks) >= size:
                break
            doc, text, copied = copy_document(data, doc_id, rows, n, rewrite)
            documents[doc.id], texts[doc.id] = doc, text
            if doc_id in data.pipeline:
                pipeline[doc.id] = data.pipeline[doc_id]
            chunks += copied
    # Row i of `grown` is a noisy copy of row i % len(base): the order the copies were laid out in.
    vectors = grown(data.vectors, len(chunks), np.random.default_rng(0))
    return IndexData(documents, texts, chunks, vectors, [], data.model, pipeline, {}, data.embedding)


def new_papers(data, vocab, folder: Path) -> None:
    """10 Kent papers, spread over the index, as perturbed text files: papers the index has never seen."""
    rewrite = Rewrite(vocab, seed=10_000)
    ids = sorted(data.documents)
    chosen = [ids[i * len(ids) // 10] for i in range(10)]
    for i, doc_id in enumerate(chosen):
        (folder / f"new-paper-{i + 1:02d}.txt").write_text(rewrite(data.texts[doc_id]), encoding="utf-8")


def child_grow(source: Path, size: int, index_dir: Path) -> dict:
    """In a fresh process (the grown index's objects are freed with it): grow and write."""
    from councilqa.index.store import load_index, write_index
    from councilqa.settings import get_settings

    settings = get_settings()
    data, _, _, _ = load_index(source, settings)
    grown_data = grow(data, size, vocabulary(data.texts.values()))
    started = time.perf_counter()
    write_index(index_dir, grown_data, settings=settings)
    return {"passages": len(grown_data.chunks), "papers": len(grown_data.documents),
            "write_s": time.perf_counter() - started, "disk_mb": generation_mb(index_dir)}


def child_serve(index_dir: Path) -> dict:
    """In a fresh process: start as the service does, then answer the Kent questions."""
    from councilqa.api.app import WARM_UP_QUESTION
    from councilqa.index.filters import Filters
    from councilqa.index.search import Searcher
    from councilqa.qa.answerer import Answerer
    from councilqa.settings import get_settings

    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    answerer = Answerer(Searcher(index_dir, get_settings()))
    start_s = time.perf_counter() - started
    rss_start, _ = memory_mb()
    filters = Filters(include_restricted=True)
    started = time.perf_counter()
    # The service's warm-up (api/app.py) before it says it is ready: a first answer loads the
    # query embedder, then the recorded votes are found.
    answerer.answer(WARM_UP_QUESTION, filters=filters)
    answerer.recorded_votes()
    ready_s = time.perf_counter() - started
    times, cpu = [], []
    for question in questions:
        started, cpu_started = time.perf_counter(), time.process_time()
        answerer.answer(question, filters=filters)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    rss_end, peak = memory_mb()
    return {"start_s": start_s, "rss_start_mb": rss_start, "rss_answered_mb": rss_end, "peak_mb": peak,
            "ready_s": ready_s, "p50_s": float(np.percentile(times, 50)), "p95_s": float(np.percentile(times, 95)),
            "cpu_p50_s": float(np.percentile(cpu, 50)), "cpu_p95_s": float(np.percentile(cpu, 95)), "questions": len(times)}


def child_ingest(index_dir: Path, folder: Path) -> dict:
    """In a fresh process: add the papers in `folder` as `councilqa ingest` would (model load included)."""
    from councilqa.ingest.pipeline import ingest
    from councilqa.settings import get_settings

    before, started, cpu_started = written_bytes(), time.perf_counter(), time.process_time()
    report = ingest([folder], index_dir, get_settings(), progress=False)
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu_started, "written_mb": (written_bytes() - before) / 1e6,
            "generation_mb": generation_mb(index_dir), "added": report.added, "embedded": report.embedded,
            "reused": report.reused_vectors, "passages_new": report.passages_new, "stages": report.seconds}


def in_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def embedding_rate(data, settings) -> tuple[float, float, float]:
    """Passages embedded per second and per CPU second (all threads), measured on a sample of Kent
    search texts (model loaded first); and the share of passages an ingest embeds (the rest reuse
    a vector: same words, same meeting)."""
    from councilqa.index.embedder import embedder_for
    from councilqa.ingest.embedding import VectorCache

    try:
        from councilqa.index.writer_reads import VectorsInMemory

        keyer = VectorCache(VectorsInMemory([], None), data.documents)
    except ImportError:  # the code before ingests read the index on demand, run for a comparison
        keyer = VectorCache([], np.zeros((0, 384)), data.documents)
    distinct = len({keyer.printed_key(c) or c.search_text() for c in data.chunks}) / len(data.chunks)
    texts = [data.chunks[i].search_text() for i in np.random.default_rng(1).choice(len(data.chunks), EMBED_SAMPLE, replace=False)]
    embedder = embedder_for(settings)
    embedder.encode(texts[:32])  # loaded and warm
    started, cpu_started = time.perf_counter(), time.process_time()
    embedder.encode(texts)
    return EMBED_SAMPLE / (time.perf_counter() - started), EMBED_SAMPLE / (time.process_time() - cpu_started), distinct


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent")
    parser.add_argument("--sizes", default="30000,100000", help="passages to grow to, besides the index as built")
    parser.add_argument("--extrapolate", default="300000,1000000", help="sizes to extrapolate to when not measured")
    parser.add_argument("--add-up-to", type=int, default=300_000,
                        help="add the 10 papers only up to this size (the ingest holds the whole index in memory)")
    parser.add_argument("--vector-store", choices=["faiss", "milvus"], default="faiss",
                        help="where the grown indexes keep their vectors (milvus: milvus-lite in the index folder)")
    parser.add_argument("--save", type=Path, help="also write the measured figures there, as JSON")
    parser.add_argument("--keep", type=Path, help="keep the grown indexes in this folder and reuse them")
    parser.add_argument("--child-grow", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-ingest", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_grow:
        print(json.dumps(child_grow(Path(args.child_grow[0]), int(args.child_grow[1]), Path(args.child_grow[2]))))
        return 0
    if args.child_serve:
        print(json.dumps(child_serve(args.child_serve)))
        return 0
    if args.child_ingest:
        print(json.dumps(child_ingest(*args.child_ingest)))
        return 0
    if not KENT.is_dir():
        print(f"skipped: the Kent corpus is not at {KENT}")
        return 0
    os.environ["COUNCILQA_VECTOR_STORE"] = args.vector_store  # the children inherit it
    from councilqa.index.store import load_index
    from councilqa.settings import get_settings

    settings = get_settings()
    data, _, _, _ = load_index(args.index, settings)
    vocab = vocabulary(data.texts.values())
    rate, cpu_rate, distinct = embedding_rate(data, settings)
    print(f"{len(data.chunks)} passages in {args.index}; vectors in {args.vector_store}; embedding {rate:.0f} passages/s "
          f"({cpu_rate:.0f} per CPU second) measured on {EMBED_SAMPLE} (precision {settings.embedding_precision}); "
          f"an ingest embeds {distinct:.0%} of passages; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)
    print("passages | papers | write s | disk MB | start s | RSS started MiB | RSS answered MiB | peak MiB | ready s | "
          "p50 s | p95 s | CPU s p50/p95 | add 10: s (CPU s) | written MB | passages embedded | rebuild s (est.: at the rate measured / all cores at the CPU rate) | add/rebuild (both)", flush=True)
    results = []
    for size in [0, *map(int, args.sizes.split(","))]:
        with tempfile.TemporaryDirectory(dir=ROOT / "var", prefix="scale-") as tmp:
            index_dir, papers = Path(tmp, "index"), Path(tmp, "papers")
            papers.mkdir()
            kept = args.keep / str(size) if args.keep else None
            grown = kept / "index" if kept else index_dir
            if kept and (kept / "grown.json").is_file():
                row = json.loads((kept / "grown.json").read_text(encoding="utf-8"))
            else:
                row = in_child("--child-grow", str(args.index), str(size), str(grown))
                if kept:
                    (kept / "grown.json").write_text(json.dumps(row), encoding="utf-8")
            n, docs, write_s = row["passages"], row["papers"], row["write_s"]
            row.update(in_child("--child-serve", str(grown)))
            if size <= args.add_up_to:
                if kept:  # the kept index stays as grown
                    shutil.copytree(grown, index_dir)
                new_papers(data, vocab, papers)
                row["add"] = in_child("--child-ingest", str(index_dir), str(papers))
        row["rebuild_s"] = n * distinct / rate + write_s
        # Every core embedding at the CPU rate measured: a machine with nothing else running, at best.
        row["rebuild_quiet_s"] = n * distinct / (cpu_rate * os.cpu_count()) + write_s
        row["load"] = os.getloadavg()[0]
        results.append(row)
        if args.save:
            args.save.write_text(json.dumps(results, indent=1))
        add = row.get("add")
        added = (f"{add['seconds']:.1f} ({add['cpu_s']:.1f}) | {add['written_mb']:.0f} | {add['embedded']} | "
                 f"{row['rebuild_s']:.0f} / {row['rebuild_quiet_s']:.0f} | {add['seconds'] / row['rebuild_s']:.1%} / "
                 f"{add['seconds'] / row['rebuild_quiet_s']:.1%}") if add else (
                 f"not run | | | {row['rebuild_s']:.0f} / {row['rebuild_quiet_s']:.0f} |")
        print(f"{n} | {docs} | {write_s:.1f} | {row['disk_mb']:.0f} | {row['start_s']:.2f} | {row['rss_start_mb']:.0f} | "
              f"{row['rss_answered_mb']:.0f} | {row['peak_mb']:.0f} | {row['ready_s']:.2f} | {row['p50_s']:.2f} | "
              f"{row['p95_s']:.2f} | {row['cpu_p50_s']:.2f}/{row['cpu_p95_s']:.2f} | {added}", flush=True)
        if add:
            print(f"  add 10 papers: {add['added']} added, {add['passages_new']} passages, {add['reused']} reused a vector, "
                  f"stages {json.dumps({k: round(v, 1) for k, v in add['stages'].items()})}, new generation "
                  f"{add['generation_mb']:.0f} MB; load average {row['load']:.1f}", flush=True)
    extrapolate(results, [int(s) for s in args.extrapolate.split(",") if s and s not in args.sizes.split(",")])
    return 0


def extrapolate(results: list[dict], sizes: list[int]) -> None:
    """A straight line through the measured sizes (the 10 papers' through those where they were added)."""
    def line(rows: list[dict], value, size: int) -> float:
        return float(np.polyval(np.polyfit([r["passages"] for r in rows], [value(r) for r in rows], 1), size))

    added = [r for r in results if "add" in r]
    for size in sizes:
        at = {key: line(results, lambda r: r[key], size)
              for key in ("disk_mb", "start_s", "rss_answered_mb", "p95_s", "cpu_p95_s", "rebuild_s", "rebuild_quiet_s")}
        add = line(added, lambda r: r["add"]["seconds"], size)
        print(f"{size} extrapolated (straight line through {len(results)} measured sizes): disk {at['disk_mb']:.0f} MB, "
              f"start {at['start_s']:.1f} s, RSS answered {at['rss_answered_mb']:.0f} MB, p95 {at['p95_s']:.2f} s "
              f"(CPU {at['cpu_p95_s']:.2f} s), add 10 {add:.0f} s, rebuild {at['rebuild_s']:.0f} / {at['rebuild_quiet_s']:.0f} s "
              f"({add / at['rebuild_s']:.1%} / {add / at['rebuild_quiet_s']:.1%})")


if __name__ == "__main__":
    raise SystemExit(main())
