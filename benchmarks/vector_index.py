"""Benchmark (not a test): exact (flat) against approximate (HNSW) FAISS search as the index grows.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/vector_index.py \\
        [--index var/bench-kent] [--sizes 100000,300000,1000000]

Every question of eval/kent*.jsonl is embedded with the index's own model. First the index's
passage vectors as they are; then grown to each size by copies perturbed with a little noise and
normalised again (so they cluster as real passages do, not as random vectors would, which would
make HNSW look worse than it is), a copy belonging to its source passage's paper. Each set of
vectors is written as a flat and as an HNSW generation file by the store's own code
(FaissVectors.write, the threshold moved either side of the size) and opened as a search opens
it (memory-mapped). Printed for each: the time to build and write it, the file size, the memory
taken on opening and after the searches, search latency p50/p95 for one question (this
machine's threads), and recall@100 (100: what a search asks the dense side for) of HNSW's rows
against flat's. Then the same with a scope: papers of one type or one committee, as the filters
make them (the flat index is exact within a scope, so it is the reference), both as the store
searches (exact within a scope of up to EXACT_SCOPE rows) and by the graph walk alone (with
efSearch grown by the share of rows left out, as the store walks a wider scope).

At 1,000,000 grown vectors HNSW recalls far less than at 300,000 (0.83 against 0.98 at
efSearch 512, README): the parameters are measured good up to about 300,000 vectors."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from councilqa.index import vector_store  # noqa: E402
from councilqa.index.filters import Filters  # noqa: E402
from councilqa.index.search import CANDIDATES, Searcher  # noqa: E402
from councilqa.index.vector_store import FaissVectors, Scope  # noqa: E402
from councilqa.settings import get_settings  # noqa: E402

NOISE = 0.05  # per dimension, before normalising: a copy's cosine to its source is about 0.6
# Scopes as the filters make them on the Kent index (share of its passages): a type of paper
# (reports 19%, minutes 6%, decisions 1%) and a committee (Cabinet 44%, County Council 56%).
SCOPES = {"reports": Filters(doc_type="report"), "minutes": Filters(doc_type="minutes"),
          "decisions": Filters(doc_type="decision"), "Cabinet": Filters(committee="Cabinet"),
          "County Council": Filters(committee="County Council")}


def grown(vectors: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    copies = [vectors]
    while sum(len(c) for c in copies) < size:
        copy = vectors + rng.normal(0, NOISE, vectors.shape).astype(np.float32)
        copies.append(copy / np.linalg.norm(copy, axis=1, keepdims=True))
    return np.vstack(copies)[:size]


def resident_mb() -> float:
    """This process's resident memory: heap and the mapped file pages it has touched."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024


def build(folder: Path, vectors: np.ndarray, hnsw: bool) -> tuple[FaissVectors, float, dict]:
    """Write a generation's dense.faiss the store's way, flat or HNSW, and open it as a search does."""
    saved = vector_store.HNSW_ABOVE
    vector_store.HNSW_ABOVE = 0 if hnsw else len(vectors)
    try:
        start = time.perf_counter()
        record = FaissVectors.write(folder, vectors)
        seconds = time.perf_counter() - start
    finally:
        vector_store.HNSW_ABOVE = saved
    before = resident_mb()
    store = FaissVectors.open(folder / vector_store.FAISS_FILE)
    record["open_mb"] = resident_mb() - before
    record["file_mb"] = (folder / vector_store.FAISS_FILE).stat().st_size / 1e6
    return store, seconds, record


def searches(store: FaissVectors, queries: np.ndarray, scope: Scope | None = None) -> tuple[np.ndarray, list[list[int]]]:
    times, found = [], []
    for q in queries:
        start = time.perf_counter()
        found.append(store.search(q, CANDIDATES, scope))
        times.append(time.perf_counter() - start)
    return np.array(times) * 1000, found


def recall(found: list[list[int]], exact: list[list[int]]) -> tuple[float, float]:
    """Mean and worst share of the exact rows found (of as many as the scope holds, up to 100)."""
    shares = [len(set(a) & set(b)) / max(len(b), 1) for a, b in zip(found, exact)]
    return float(np.mean(shares)), float(np.min(shares))


def compare(name: str, vectors: np.ndarray, scopes: dict[str, np.ndarray], queries: np.ndarray) -> None:
    """One size: flat and HNSW built, searched over everything and within each scope."""
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as tmp:
        flat_dir, hnsw_dir = Path(tmp, "flat"), Path(tmp, "hnsw")
        flat_dir.mkdir(), hnsw_dir.mkdir()
        flat, flat_s, flat_rec = build(flat_dir, vectors, hnsw=False)
        before = resident_mb()
        searches(flat, queries[:5])  # the first searches page the file in
        flat_ms, exact = searches(flat, queries)
        flat_rec["searched_mb"] = resident_mb() - before + flat_rec["open_mb"]
        hnsw, hnsw_s, hnsw_rec = build(hnsw_dir, vectors, hnsw=True)
        before = resident_mb()
        searches(hnsw, queries[:5])
        hnsw_ms, found = searches(hnsw, queries)
        hnsw_rec["searched_mb"] = resident_mb() - before + hnsw_rec["open_mb"]
        mean, worst = recall(found, exact)
        for kind, seconds, rec, ms, r in (("flat", flat_s, flat_rec, flat_ms, (1.0, 1.0)),
                                          ("hnsw", hnsw_s, hnsw_rec, hnsw_ms, (mean, worst))):
            print(f"{name} | {len(vectors)} | {kind} | {seconds:.1f} | {rec['file_mb']:.0f} | {rec['open_mb']:.0f} | "
                  f"{rec['searched_mb']:.0f} | {np.percentile(ms, 50):.2f} | {np.percentile(ms, 95):.2f} | "
                  f"{r[0]:.3f} | {r[1]:.2f}", flush=True)
        for scope_name, rows in scopes.items():
            scope = Scope(rows=rows)
            flat_ms, exact = searches(flat, queries, scope)
            store_ms, found = searches(hnsw, queries, scope)
            saved = vector_store.EXACT_SCOPE
            vector_store.EXACT_SCOPE = 0  # the graph walk alone, as the store does above EXACT_SCOPE
            try:
                graph_ms, walked = searches(hnsw, queries, scope)
            finally:
                vector_store.EXACT_SCOPE = saved
            wanted = min(CANDIDATES, len(rows))
            store_r, graph_r = recall(found, exact), recall(walked, exact)
            how = "exact" if len(rows) <= vector_store.EXACT_SCOPE else "graph"
            print(f"  {name} {len(vectors)} scope {scope_name} ({len(rows)} rows, {len(rows) / len(vectors):.0%}) | "
                  f"flat p50 {np.percentile(flat_ms, 50):.2f} ms | store ({how}) p50 {np.percentile(store_ms, 50):.2f} "
                  f"p95 {np.percentile(store_ms, 95):.2f} ms recall {store_r[0]:.3f} (worst {store_r[1]:.2f}) "
                  f"short {sum(len(f) < wanted for f in found)} | graph walk alone p50 {np.percentile(graph_ms, 50):.2f} ms "
                  f"recall {graph_r[0]:.3f} (worst {graph_r[1]:.2f}) short {sum(len(f) < wanted for f in walked)}",
                  flush=True)
        del flat, hnsw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent")
    parser.add_argument("--sizes", default="100000,300000,1000000")
    args = parser.parse_args()
    searcher = Searcher(args.index, get_settings())
    base = searcher.dense.vectors()
    questions = [json.loads(line)["question"] for path in sorted((ROOT / "eval").glob("kent*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = np.vstack([searcher.embedder.encode_query(q) for q in questions]).astype(np.float32)
    # Each scope's rows in the index as built; a grown copy of a passage is in the scope its source is.
    kent_scopes = {name: searcher._allowed_rows(f) for name, f in SCOPES.items()}
    import faiss

    print(f"{len(base)} passage vectors from {args.index}, {len(queries)} questions, {faiss.omp_get_max_threads()} threads, "
          f"faiss {faiss.__version__}; HNSW M={vector_store.HNSW_M} efConstruction={vector_store.HNSW_EF_CONSTRUCTION} "
          f"efSearch={vector_store.HNSW_EF_SEARCH}; exact within a scope of up to {vector_store.EXACT_SCOPE} rows")
    print("vectors | size | index | build+write s | file MB | memory on open MB | memory after searches MB | "
          "p50 ms | p95 ms | recall@100 | worst")
    compare("as built", base, kent_scopes, queries)
    rng = np.random.default_rng(0)
    for size in map(int, args.sizes.split(",")):
        vectors = grown(base, size, rng)
        source = np.arange(size) % len(base)
        scopes = {name: np.flatnonzero(np.isin(source, rows)).astype(np.int64) for name, rows in kent_scopes.items()}
        compare("grown", vectors, scopes, queries)
        del vectors


if __name__ == "__main__":
    main()
