"""Benchmark (not a test): how long a councillor waits for an answer over the Kent index.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/answer_latency.py \\
        [--index var/bench-kent] [--corpus ../shared/corpus/kent] [--repeat 1]

Ingests the corpus into the index folder when it holds no index yet (or reads only what changed),
loads the models, then asks every question of the Kent question sets (eval/sets.py), one at a
time as the service does, and prints the precision, p50, p95, p99 and the slowest questions'
times, with the share spent in the cross-encoder. Both cores are free to the answerer: run it
on a quiet machine."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from councilqa.eval.harness import load_questions
    from councilqa.eval.sets import KENT, SETS
    from councilqa.index.embedder import precision_for
    from councilqa.index.search import Searcher
    from councilqa.ingest.pipeline import ingest
    from councilqa.qa.answerer import Answerer
    from councilqa.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent")
    parser.add_argument("--corpus", type=Path, default=KENT)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    settings = get_settings()
    ingest([args.corpus], args.index, settings, progress=False)
    answerer = Answerer(Searcher(args.index, settings))
    questions = [q["question"] for s in SETS if s.corpus == KENT and s.questions.is_file()
                 for q in load_questions(s.questions)]
    answerer.answer(questions[0])  # models loaded and warm, as in a running service
    reranking = answerer.cross_encoder.logits
    spent = [0.0]

    def timed_logits(*a, **k):
        started = time.perf_counter()
        try:
            return reranking(*a, **k)
        finally:
            spent[0] += time.perf_counter() - started

    answerer.cross_encoder.logits = timed_logits
    times = []
    for _ in range(args.repeat):
        for question in questions:
            started = time.perf_counter()
            answerer.answer(question)
            times.append(time.perf_counter() - started)
    ordered = sorted(times)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    print(f"precision {precision_for(settings)}, {len(times)} questions")
    print(f"p50 {pct(0.5):.3f} s  p95 {pct(0.95):.3f} s  p99 {pct(0.99):.3f} s  mean {statistics.mean(times):.3f} s  "
          f"max {ordered[-1]:.3f} s")
    print(f"cross-encoder: {spent[0] / sum(times):.0%} of the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
