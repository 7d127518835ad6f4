"""Analysis (not a test): the candidate answers the answerer weighs, with their features, for
deciding how to choose and when to abstain on the tune split alone.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/answer_candidates.py \\
        --sets blackpool-dev,kent --out var/candidates.json [--pool 40]

For every tune question of each set (and every paraphrase), it writes the best `--pool` units by
the word-matching score, each with that score and the features it was made of, the coverage of the question, the cross-encoder's
logit, whether the unit gives the kind of answer asked for, and whether its statement holds the
whole known answer. It prints, per set, how often the unit each scoring would choose holds the
answer. Holdout questions are never read. Each set's corpus is ingested into var/bench-<corpus>
first (only what changed is read)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHOICES = {
    "words": lambda c: c["score"],
    "cross-encoder": lambda c: c["logit"],
    "words + logit/10": lambda c: c["score"] + 0.1 * c["logit"],
}


def candidates(answerer, question: dict, pool: int, reordered: bool = False) -> list[dict]:
    from councilqa.eval.scoring import contains_answer
    from councilqa.qa.answerer import RETRIEVE
    from councilqa.qa.learned_confidence import candidate_record

    q = answerer.question(question["question"])
    # The passages the answerer chooses from (the retrievers' order), or with --reordered those of
    # `councilqa search` (index/rerank.py), each carrying the cross-encoder's reading as well.
    passages = answerer.passages_for(question["question"], RETRIEVE, rerank=reordered)
    scored = answerer.word_scored(q, passages)[:pool]
    logits = answerer.cross_encoder.logits(q.text, [answerer.candidate_text(s.unit) for s in scored])
    factor = answerer._name_factor(q, passages)
    out = []
    for s, logit in zip(scored, logits):
        statement = answerer._statement(q, s.unit, 1)
        holds = question["answerable"] and all(any(contains_answer(statement, alt) for alt in group)
                                               for group in question["answers"])
        read = answerer.candidate_text(s.unit)
        record = candidate_record(s.features, s.score, s.coverage * factor, float(logit),
                                  answerer._answers_what_is_asked(q, s.unit), read)
        out.append(record | {"passage_logit": s.unit.passage.relevance, "holds_answer": holds, "text": read[:300]})
    return out


def main() -> int:
    from councilqa.eval.harness import load_questions
    from councilqa.eval.sets import BY_NAME
    from councilqa.eval.splits import split_of
    from councilqa.index.search import Searcher
    from councilqa.ingest.pipeline import ingest
    from councilqa.qa.answerer import Answerer
    from councilqa.qa.learned_confidence import question_record
    from councilqa.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="blackpool-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "candidates.json")
    parser.add_argument("--pool", type=int, default=40)
    parser.add_argument("--reordered", action="store_true",
                        help="candidates from the passages reordered by the cross-encoder, not the answerer's")
    args = parser.parse_args()
    settings = get_settings()
    answerers: dict[Path, Answerer] = {}
    rows = []
    for name in args.sets.split(","):
        qset = BY_NAME[name]
        if qset.corpus not in answerers:
            index = ROOT / "var" / f"bench-{qset.corpus.name}"
            ingest([qset.corpus], index, settings, progress=False)
            answerers[qset.corpus] = Answerer(Searcher(index, settings))
        questions = load_questions(qset.questions)
        split = split_of(questions)
        asked = [(q, "as written") for q in questions if split[q["id"]] == "tune"]
        if qset.paraphrases:
            asked += [(q, "paraphrase") for q in load_questions(qset.paraphrases)]
        for q, wording in asked:
            rows.append({"set": name, "wording": wording, "id": q["id"], "question": q["question"],
                         "answerable": q["answerable"], "asks": question_record(answerers[qset.corpus].question(q["question"])),
                         "candidates": candidates(answerers[qset.corpus], q, args.pool, args.reordered)})
        for wording in ("as written", "paraphrase"):
            group = [r for r in rows if r["set"] == name and r["wording"] == wording and r["answerable"]]
            if not group:
                continue
            shares = []
            for label, key in CHOICES.items():
                held = sum(bool(c and c["holds_answer"]) for c in
                           (max((c for c in r["candidates"] if c["kind_given"]), key=key, default=None) for r in group))
                shares.append(f"{label} {held / len(group):.2f}")
            print(f"{name} ({wording}, {len(group)} answerable): chosen unit holds the answer: " + ", ".join(shares))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"candidates written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
