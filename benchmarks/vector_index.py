"""Benchmark (not a test): exact (flat) against approximate (HNSW) FAISS search as the index grows.

    .venv/bin/python benchmarks/vector_index.py [--index var/bench-kent] [--sizes 10000,100000,300000]

The index's own passage vectors are grown to each size by copies perturbed with a little noise
and normalised again (so they cluster as real passages do, not as random vectors, which would
make HNSW look worse than it is), and every question of eval/kent*.jsonl is embedded with the
index's model. For flat and for HNSW (index/vector_store.py's parameters) it prints the build
time, the file size, search latency p50/p95 for one query on this machine's threads, and the
recall of HNSW's first 100 (what a search asks the dense side for) against flat's."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from councilqa.index.search import CANDIDATES, Searcher  # noqa: E402
from councilqa.index.vector_store import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M  # noqa: E402
from councilqa.settings import get_settings  # noqa: E402

NOISE = 0.05  # per dimension, before normalising: a copy's cosine to its source is about 0.6


def grown(vectors: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    copies = [vectors]
    while sum(len(c) for c in copies) < size:
        copy = vectors + rng.normal(0, NOISE, vectors.shape).astype(np.float32)
        copies.append(copy / np.linalg.norm(copy, axis=1, keepdims=True))
    return np.vstack(copies)[:size]


def timed_searches(index: faiss.Index, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    times, found = [], []
    for q in queries:
        start = time.perf_counter()
        _, ids = index.search(q[None, :], CANDIDATES)
        times.append(time.perf_counter() - start)
        found.append(ids[0])
    return times, np.array(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent")
    parser.add_argument("--sizes", default="10000,100000,300000")
    args = parser.parse_args()
    searcher = Searcher(args.index, get_settings())
    base = searcher.dense.vectors()
    questions = [json.loads(line)["question"] for path in sorted((ROOT / "eval").glob("kent*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = np.vstack([searcher.embedder.encode_query(q) for q in questions]).astype(np.float32)
    print(f"{len(base)} passage vectors from {args.index}, {len(queries)} questions, {faiss.omp_get_max_threads()} threads; "
          f"HNSW M={HNSW_M} efConstruction={HNSW_EF_CONSTRUCTION} efSearch={HNSW_EF_SEARCH}")
    print("size | index | build s | file MB | p50 ms | p95 ms | recall@100")
    rng = np.random.default_rng(0)
    for size in map(int, args.sizes.split(",")):
        vectors = grown(base, size, rng)
        exact = None
        for kind in ("flat", "hnsw"):
            start = time.perf_counter()
            if kind == "flat":
                index = faiss.IndexFlatIP(vectors.shape[1])
            else:
                index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
                index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.add(vectors)
            build = time.perf_counter() - start
            with tempfile.TemporaryDirectory() as tmp:
                faiss.write_index(index, os.path.join(tmp, "i"))
                megabytes = os.path.getsize(os.path.join(tmp, "i")) / 1e6
            # HNSW at the efSearch the store uses, and above it to show what recall costs.
            for ef in ([None] if kind == "flat" else [HNSW_EF_SEARCH, 2 * HNSW_EF_SEARCH, 4 * HNSW_EF_SEARCH]):
                if ef:
                    index.hnsw.efSearch = ef
                times, found = timed_searches(index, queries)
                if kind == "flat":
                    exact, recall = found, 1.0
                else:
                    recall = statistics.mean(len(set(a) & set(b)) / CANDIDATES for a, b in zip(found, exact))
                p50, p95 = np.percentile(times, 50) * 1000, np.percentile(times, 95) * 1000
                name = kind if not ef else f"hnsw ef={ef}"
                print(f"{size} | {name} | {build:.1f} | {megabytes:.0f} | {p50:.2f} | {p95:.2f} | {recall:.3f}", flush=True)


if __name__ == "__main__":
    main()
