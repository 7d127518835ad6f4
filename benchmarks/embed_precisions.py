"""Benchmark (not a test): the bundled all-MiniLM-L6-v2 in each precision against float32, on the
passages of an index and the questions of the Kent sets.

    .venv/bin/python benchmarks/embed_precisions.py var/bench-kent [--passages 1500] [--all]

For each way of running the model (float32 ONNX, the reference; int8, the precision "auto" takes
on a CPU without native bfloat16; bfloat16 with torch where the CPU has it natively; and the
plain int8 model, all-MiniLM-L6-v2-int8, for comparison) prints:
- CPU seconds (user + system, this process) to embed the sampled passages, one text at a time on
  one thread per core as ingest does, and their ratio to float32's, in the same run;
- cosine with float32 over the passages (mean, worst, 0.1% quantile) and over the questions;
- agreement of dense rankings with float32's over all the index's passages, for every question:
  the first passage the same, and how many of float32's top 5 and top 10 are kept, with both
  sides in the precision, and mixed (questions in it against float32 passages, and float32
  questions against its passages: an index built on one machine, searched on another).

`--passages` samples that many distinct passage texts (seed 13) for the timing; the rankings
embed every distinct passage of the index in every precision (several minutes on 2 cores), unless
`--no-rankings`. The ONNX builds go to the model cache (COUNCILQA_MODEL_CACHE), built if missing
(not timed)."""

from __future__ import annotations

import argparse
import random
import resource
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTION_SETS = ("kent", "kent-new", "kent-fresh", "kent-votes", "kent-s15")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def embedders(settings) -> dict:
    """{label: embedder} of the ways the bundled model runs on this CPU, float32 first."""
    from councilqa.index.embedder import Embedder, cpu_has_native_bfloat16, embedder_for
    from councilqa.settings import MINILM_INT8, bundled_minilm_path

    ways = {"float32 (onnxruntime)": embedder_for(settings.model_copy(update={"embedding_precision": "float32"})),
            "int8 (onnxruntime)": embedder_for(settings.model_copy(update={"embedding_precision": "int8"}))}
    if cpu_has_native_bfloat16():
        ways["bfloat16 (torch)"] = Embedder(bundled_minilm_path(), precision="bfloat16")
    ways["model all-MiniLM-L6-v2-int8"] = embedder_for(settings.model_copy(update={"embedding_model": MINILM_INT8}))
    return ways


def rankings(q: np.ndarray, p: np.ndarray, k: int = 10) -> np.ndarray:
    return np.argsort(-(q @ p.T), axis=1)[:, :k]


def agreement(top: np.ndarray, reference: np.ndarray) -> str:
    kept5 = np.array([len(set(a[:5]) & set(b[:5])) for a, b in zip(top, reference)])
    kept10 = np.array([len(set(a) & set(b)) for a, b in zip(top, reference)])
    return (f"first same {np.mean(top[:, 0] == reference[:, 0]):.3f}, top 5 kept {kept5.mean():.2f} (min {kept5.min()}), "
            f"top 10 kept {kept10.mean():.2f} (min {kept10.min()}; all 10 for {np.mean(kept10 == 10):.0%})")


def main() -> int:
    from councilqa.eval.harness import load_questions
    from councilqa.index.store import load_index
    from councilqa.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--passages", type=int, default=1500)
    parser.add_argument("--no-rankings", action="store_true")
    args = parser.parse_args()
    data, *_ = load_index(args.index, vectors=False)
    texts = list(dict.fromkeys(chunk.search_text() for chunk in data.chunks))
    sample = random.Random(13).sample(texts, min(args.passages, len(texts)))
    questions = [q["question"] for name in QUESTION_SETS if (ROOT / "eval" / f"{name}.jsonl").is_file()
                 for q in load_questions(ROOT / "eval" / f"{name}.jsonl")]
    print(f"{args.index}: {len(texts)} distinct passage texts, {len(sample)} timed; {len(questions)} questions")
    reference = None
    for label, embedder in embedders(get_settings()).items():
        embedder.encode(sample[:8])  # first-run allocations out of the timing
        started = cpu_seconds()
        vectors = embedder.encode(sample)
        cpu = cpu_seconds() - started
        asked = np.vstack([embedder.encode_query(q) for q in questions])
        if reference is None:
            reference = {"cpu": cpu, "sample": vectors, "questions": asked}
        cosine = np.sum(vectors * reference["sample"], axis=1)
        question_cosine = np.sum(asked * reference["questions"], axis=1)
        print(f"\n{label}: {cpu:.1f} CPU s for {len(sample)} passages ({reference['cpu'] / cpu:.2f}x float32); "
              f"cosine with float32: passages mean {cosine.mean():.5f}, worst {cosine.min():.5f}, "
              f"0.1% {np.quantile(cosine, 0.001):.5f}; questions mean {question_cosine.mean():.5f}, "
              f"worst {question_cosine.min():.5f}")
        if args.no_rankings:
            continue
        everything = embedder.encode(texts)
        if "all" not in reference:
            reference["all"] = everything
            reference["top"] = rankings(asked, everything)
            continue
        print(f"  rankings over {len(texts)} passages, both in this precision:  {agreement(rankings(asked, everything), reference['top'])}")
        print(f"  its questions, float32 passages: {agreement(rankings(asked, reference['all']), reference['top'])}")
        print(f"  float32 questions, its passages: {agreement(rankings(reference['questions'], everything), reference['top'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
