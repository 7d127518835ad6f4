"""Benchmark (not a test): the vector store alone, FAISS against Milvus, on the same index.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/vector_search.py \\
        var/faiss-kent var/milvus-kent [--questions eval/kent.jsonl]

Each index folder is searched with the store it records (vectors.json). The questions are
embedded once; then each store finds the 100 passages nearest each question (the candidates a
hybrid search takes from it), over every passage and with a filter (the public's minutes), and
the p50 and p95 times are printed, with how many questions got the same rows from every store.
Embedding, BM25 and answering are left out: they are the same whichever store holds the vectors."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = 100


def main() -> int:
    from councilqa.eval.harness import load_questions
    from councilqa.index.search import Filters, Searcher
    from councilqa.index.vector_store import Scope
    from councilqa.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("indexes", nargs="+", type=Path, help="index folders (one per store)")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "kent.jsonl")
    args = parser.parse_args()

    settings = get_settings()
    searchers = {index: Searcher(index, settings) for index in args.indexes}
    first = next(iter(searchers.values()))
    vectors = [first.embedder.encode_query(q["question"]) for q in load_questions(args.questions)]
    rows: dict[Path, list] = {}
    for index, searcher in searchers.items():
        for label, filters in (("every passage", None), ("public minutes", Filters(doc_type="minutes"))):
            scope = Scope(filters, searcher._allowed_rows(filters))
            seconds, found = [], []
            for vector in vectors:
                start = time.perf_counter()
                found.append(searcher.dense.search(vector, CANDIDATES, scope))
                seconds.append(time.perf_counter() - start)
            rows.setdefault(index, []).extend(found)
            seconds.sort()
            print(f"{index} ({searcher.dense.kind}), {label}: p50 {1000 * statistics.median(seconds):.1f} ms, "
                  f"p95 {1000 * seconds[int(0.95 * (len(seconds) - 1))]:.1f} ms")
    reference = rows[args.indexes[0]]
    same = sum(all(rows[index][n] == reference[n] for index in args.indexes) for n in range(len(reference)))
    print(f"same {CANDIDATES} rows in the same order from every store: {same} of {len(reference)} searches")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
