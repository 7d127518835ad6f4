"""Benchmark (not a test): retrieval alone, for every question set, on indexes built with
different embedding models. Prints hit@1/5/10 and MRR of dense search, hybrid search, and
hybrid search reordered by the cross-encoder ("search", as `councilqa search` ranks) (the
passage holding the evidence quote, among the answerable questions), tune and holdout side by
side, and paraphrases where the set has them.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/retrieval_models.py \\
        --model all-MiniLM-L6-v2 var/bench-blackpool var/bench-kent \\
        --model bge-small-en-v1.5 var/bge-blackpool var/bge-kent

Each `--model NAME INDEX...` gives the model (a name COUNCILQA_EMBEDDING_MODEL takes, or a
folder) and the indexes built with it; a set is measured on the index whose documents hold its
corpus (the demo index for the Blackpool sets, the Kent index for the Kent sets)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from councilqa.eval.harness import by_split, document_aliases, load_questions, metrics, retriever_system, run_system
    from councilqa.eval.sets import SETS
    from councilqa.index.search import Searcher
    from councilqa.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", nargs="+", action="append", required=True, metavar=("NAME", "INDEX"))
    parser.add_argument("--modes", default="dense,hybrid,search")
    args = parser.parse_args()
    columns = ["hit@1", "hit@5", "hit@10", "mrr"]
    print(f"| model | set | part | mode | n | {' | '.join(columns)} |\n|---|---|---|---|---|" + "---|" * len(columns))
    for name, *indexes in args.model:
        settings = get_settings().model_copy(update={"embedding_model": name})
        searchers = [Searcher(Path(i), settings) for i in indexes]
        for question_set in SETS:
            if not question_set.available():
                continue
            corpus = question_set.corpus.resolve()
            searcher = next((s for s in searchers if any(
                Path(loc).resolve().is_relative_to(corpus) for d in s.index.documents.values() for loc in d.locations)), None)
            if searcher is None:
                continue
            aliases = document_aliases(searcher, question_set.corpus)
            parts = [("", load_questions(question_set.questions))]
            if question_set.paraphrases:
                parts.append(("paraphrases", load_questions(question_set.paraphrases)))
            for label, questions in parts:
                for mode in args.modes.split(","):
                    run = run_system(mode, retriever_system(searcher, mode), questions, aliases)
                    groups = {"paraphrases": metrics(questions, run)} if label else by_split(questions, run)
                    for part, m in groups.items():
                        values = " | ".join("–" if m[c] is None else f"{m[c]:.3f}" for c in columns)
                        print(f"| {name} | {question_set.name} | {part} | {mode} | {m['answerable']} | {values} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
