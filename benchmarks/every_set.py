"""Analysis (not a test): every question set of eval/sets.py asked of two existing indexes, one
line of result per question, and the totals by split, so two versions of the answerer can be
compared question by question.

    COUNCILQA_EMBEDDING_PRECISION=float32 HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/every_set.py \\
        --kent var/kent-index --blackpool var/blackpool-index --out var/every-set [--sets kent,kent-new]

Writes OUT/<set>.jsonl (and OUT/<set>.para.jsonl for a set's paraphrases): id, split (a
paraphrase takes its original's), answerable, correct (every answer group matched), cited,
abstained, rank of the evidence among the passages shown, confidence, the question and the
answer. Then prints, per split (tune, holdout, paraphrases, and kent-fresh apart, the set read
as totals only), answerable questions answered right, unanswerable ones declined, answerable
ones declined, answers with an ungrounded figure, and the mean reciprocal rank. Asked as a
member (every paper searched)."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from councilqa.eval.harness import councilqa_system, document_aliases, load_questions, run_system
from councilqa.eval.sets import KENT, SETS
from councilqa.eval.splits import split_of
from councilqa.index.search import Filters, Searcher
from councilqa.qa.answerer import Answerer
from councilqa.settings import get_settings

APART = "kent-fresh"  # read as totals only, beside the splits


def _write(path: Path, questions: list[dict], run, splits: dict[str, str]) -> list[dict]:
    rows = []
    for q, response, score in zip(questions, run.responses, run.scores):
        rows.append({"id": q["id"], "split": splits.get(q.get("paraphrase_of", q["id"]), "tune"),
                     "answerable": q.get("answerable", True), "correct": score.correct, "cited": score.cited,
                     "abstained": score.abstained, "ungrounded": score.ungrounded, "rank": score.rank,
                     "confidence": score.confidence, "question": q["question"], "answer": response.get("answer")})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def totals(results: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    """Per group: right and answerable, declined and unanswerable, false abstentions, answers
    with an ungrounded figure, and the reciprocal ranks summed."""
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for name, rows in results.items():
        for r in rows:
            group = "paraphrases" if name.endswith(".para") else APART if name == APART else r["split"]
            t = groups[group]
            if r["answerable"]:
                t["answerable"] += 1
                t["right"] += bool(r["correct"])
                t["declined"] += r["abstained"]
                t["reciprocal_rank"] += 1 / r["rank"] if r["rank"] else 0.0
            else:
                t["unanswerable"] += 1
                t["unanswerable_declined"] += r["abstained"]
            t["ungrounded"] += bool(r["ungrounded"])
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kent", type=Path, required=True, help="index of the Kent PDFs")
    parser.add_argument("--blackpool", type=Path, required=True, help="index of the Blackpool demo papers")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sets", default="", help="comma-separated set names (default: every available set)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.sets.split(",")))
    settings = get_settings()
    systems: dict[Path, tuple] = {}
    results: dict[str, list[dict]] = {}
    for question_set in SETS:
        if (only and question_set.name not in only) or not question_set.available():
            continue
        index = args.kent if question_set.corpus == KENT else args.blackpool
        if index not in systems:
            searcher = Searcher(index, settings)
            systems[index] = (councilqa_system(Answerer(searcher), Filters(include_restricted=True)),
                              document_aliases(searcher, question_set.corpus))
        answer, aliases = systems[index]
        questions = load_questions(question_set.questions)
        splits = split_of(questions)
        run = run_system("councilqa", answer, questions, aliases)
        results[question_set.name] = _write(args.out / f"{question_set.name}.jsonl", questions, run, splits)
        if question_set.paraphrases:
            paraphrases = load_questions(question_set.paraphrases)
            run = run_system("councilqa", answer, paraphrases, aliases)
            results[f"{question_set.name}.para"] = _write(args.out / f"{question_set.name}.para.jsonl", paraphrases, run, splits)
        print(question_set.name, "done", flush=True)
    for group, t in sorted(totals(results).items()):
        print(f"{group:12s} right {int(t['right'])}/{int(t['answerable'])}  declined {int(t['declined'])}  "
              f"unanswerable declined {int(t['unanswerable_declined'])}/{int(t['unanswerable'])}  "
              f"ungrounded {int(t['ungrounded'])}  MRR {t['reciprocal_rank'] / max(t['answerable'], 1):.3f}")


if __name__ == "__main__":
    main()
