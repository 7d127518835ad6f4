"""Analysis and fit (not a test): the learned confidence of qa/learned_confidence.py, fitted on the
tune split of every question set, judged by leaving one question set out at a time.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/answer_candidates.py \\
        --sets blackpool-dev,blackpool-new,kent,... --pool 20 --out var/candidates.json
    .venv/bin/python benchmarks/fit_learned_confidence.py var/candidates.json [--write]

Each question's candidates are the answerer's own pool (its first RERANK_POOL units by the word
score, each read by the cross-encoder); a candidate is a positive when its statement holds the
whole known answer. Unanswerable questions are in the fit with no positive, which is what
teaches the probability to stay low when nothing answers. Only the questions as written are
fitted on: the paraphrases stay a measure of whether wording matters, and are reported apart.

For every question set, a model fitted on the other sets scores it, and the answerer's decision
is replayed (qa/answerer.py): of the units that give the kind of answer asked for and score
within NEAR_TOP of the best of them by words and reading, the first in that order whose
probability reaches the threshold, or that covers the question (COVERS_QUESTION), is answered
with. The script prints, per threshold and per set, what that does (right, wrong, declined,
unanswerable questions answered) beside the rule it replaced (qa/confidence.py's two-feature
model, as benchmarks/fit_confidence.py replays it, fitted on these same questions), and the
threshold that gets the most questions as written right (an answerable one answered right, or an
unanswerable one declined) over the left-out sets. With --write it fits on every question as
written and writes qa/learned_confidence.json with that threshold. Holdout questions are never
in the candidates file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_confidence import ANSWER_AT, eligible  # noqa: E402  the rule the model replaced, replayed

from councilqa.qa.answerer import NEAR_TOP, RERANK_POOL  # noqa: E402
from councilqa.qa.confidence import ABSTAIN_BELOW, confidence  # noqa: E402
from councilqa.qa.learned_confidence import (  # noqa: E402
    COVERS_QUESTION, FEATURE_NAMES, MODEL, LearnedConfidence, Tree, feature_matrix)
from councilqa.qa.weights import UNIT_WEIGHTS  # noqa: E402

# Small trees (four leaves, each of at least 100 candidates): of four sizes tried, left-out sets
# came out best with the smallest two (7 December 2026: 358 right of 557 questions as written,
# against 351 with 15 leaves of 40 and 347 with 31 of 20). A few hundred questions cannot choose
# among many more settings than that.
PARAMETERS = dict(max_iter=200, learning_rate=0.05, max_leaf_nodes=4, min_samples_leaf=100,
                  l2_regularization=1.0, early_stopping=False)
# What is known before any fit, as monotonic constraints: a unit is no less likely to hold the
# answer for a higher word score, coverage or cross-encoder logit, for standing nearer the best
# of the others, or for giving the kind of answer asked for; each word feature counts the way its
# hand-set weight says (qa/weights.py), even where too few candidates have it to fit its size.
# Left-out sets came out slightly better with them (362 against 358 as written).
RISING = {"score", "coverage_with_names", "logit", "kind_given", "logit_below_best", "score_below_best",
          "coverage_below_best", "logit_below_best_giving", "weighed", "weighed_below_best_giving",
          "confidence_before"}
FALLING = {"logit_place", "score_place"}
THRESHOLDS = [round(t, 2) for t in np.arange(0.15, 0.61, 0.05)]
WEIGHED = FEATURE_NAMES.index("weighed")
WEIGHED_BELOW_BEST = FEATURE_NAMES.index("weighed_below_best_giving")


def monotonic() -> list[int]:
    signs = {name: 1 if weight > 0 else -1 for name, weight in UNIT_WEIGHTS.items()}
    signs |= {name: 1 for name in RISING} | {name: -1 for name in FALLING}
    return [signs.get(name, 0) for name in FEATURE_NAMES]


def questions(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        pool = r["candidates"][:RERANK_POOL]
        out.append({"set": r["set"], "answerable": r["answerable"], "row": r, "as_written": r["wording"] == "as written",
                    "x": feature_matrix(r["asks"], pool), "pool": pool,
                    "y": np.array([c["holds_answer"] for c in pool], dtype=bool),
                    "giving": np.array([c["kind_given"] for c in pool], dtype=bool)})
    return out


def fitted(qs: list[dict]) -> HistGradientBoostingClassifier:
    """Fitted on the questions as written, not their paraphrases."""
    x = np.vstack([q["x"] for q in qs if len(q["x"]) and q["as_written"]])
    y = np.concatenate([q["y"] for q in qs if len(q["x"]) and q["as_written"]])
    return HistGradientBoostingClassifier(**PARAMETERS, monotonic_cst=monotonic()).fit(x, y)


def candidates(q: dict, p: np.ndarray) -> list[tuple[float, float, bool]]:
    """(probability, coverage, holds the answer) of the units the answerer may answer with, in
    its order: those giving the kind asked for, within NEAR_TOP of the best of them by words and
    reading, best first."""
    if not len(q["x"]):
        return []
    near = np.flatnonzero(q["giving"] & (q["x"][:, WEIGHED_BELOW_BEST] >= -NEAR_TOP - 1e-9))
    order = sorted(near, key=lambda j: -q["x"][j, WEIGHED])
    return [(float(p[j]), q["pool"][j]["coverage"], bool(q["y"][j])) for j in order]


def tally(outcomes: list[tuple[bool, list[tuple[float, float, bool]]]], threshold: float) -> dict[str, int]:
    t = {"right": 0, "wrong": 0, "declined": 0, "unanswerable answered": 0, "unanswerable declined": 0}
    for answerable, near in outcomes:
        chosen = next((c for c in near if c[0] >= threshold or c[1] >= COVERS_QUESTION), None)
        if answerable:
            t["right" if chosen and chosen[2] else "wrong" if chosen else "declined"] += 1
        else:
            t["unanswerable answered" if chosen else "unanswerable declined"] += 1
    return t


def replaced_rule(q: dict) -> list[tuple[float, float, bool]]:
    """The rule the model replaced, replayed as benchmarks/fit_confidence.py does, in the form
    `tally` reads (answered with at any threshold, or never)."""
    near = eligible(q["row"])
    c = next((c for c in near if c["coverage"] >= ABSTAIN_BELOW or confidence(c["coverage"], c["logit"]) >= ANSWER_AT), None)
    return [(1.0, 0.0, bool(c["holds_answer"]))] if c else []


def export(model: HistGradientBoostingClassifier, answer_at: float) -> LearnedConfidence:
    trees = []
    for (predictor,) in model._predictors:  # one tree per iteration for a binary classifier
        n = predictor.nodes
        trees.append(Tree(feature=n["feature_idx"].astype(int), threshold=n["num_threshold"].astype(float),
                          left=n["left"].astype(int), right=n["right"].astype(int),
                          missing_left=n["missing_go_to_left"].astype(bool), leaf=n["is_leaf"].astype(bool),
                          value=n["value"].astype(float)))
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return LearnedConfidence(FEATURE_NAMES, baseline, tuple(trees), answer_at)


def line(label: str, c: dict[str, int]) -> str:
    return (f"{label:>9} {c['right']:6} {c['wrong']:6} {c['declined']:9} {c['unanswerable answered']:12}"
            f" / {c['unanswerable declined']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", type=Path)
    parser.add_argument("--write", action="store_true", help=f"fit on every question as written and write {MODEL}")
    args = parser.parse_args()
    qs = questions(json.loads(args.candidates.read_text(encoding="utf-8")))
    sets = sorted({q["set"] for q in qs})
    left_out: dict[str, list] = {}
    for s in sets:
        model = fitted([q for q in qs if q["set"] != s])
        left_out[s] = [(q["answerable"], candidates(q, model.predict_proba(q["x"])[:, 1]) if len(q["x"]) else [],
                        q["as_written"]) for q in qs if q["set"] == s]
    written = [o[:2] for s in sets for o in left_out[s] if o[2]]
    reworded = [o[:2] for s in sets for o in left_out[s] if not o[2]]
    right = {t: (lambda c: c["right"] + c["unanswerable declined"])(tally(written, t)) for t in THRESHOLDS}
    answer_at = max(THRESHOLDS, key=lambda t: (right[t], -abs(t - 0.5)))
    print(f"{len(written)} tune questions as written and {len(reworded)} paraphrases, of {len(sets)} sets; "
          "each set scored by a model fitted on the others' questions as written\n")
    for label, group, wording in (("as written", written, True), ("paraphrases", reworded, False)):
        print(f"{label}: threshold  right  wrong  declined  unanswerable answered / declined")
        for t in THRESHOLDS:
            print(line(f"{t:.2f}", tally(group, t)))
        rule = [(q["answerable"], replaced_rule(q)) for q in qs if q["as_written"] == wording]
        print(line("before", tally(rule, 0.5)) + "   (the rule replaced, fitted on these questions: not left out)")
    print(f"\nper set, as written, at {answer_at} (left out / before), right of answerable, declined of unanswerable:")
    for s in sets:
        a = tally([o[:2] for o in left_out[s] if o[2]], answer_at)
        b = tally([(q["answerable"], replaced_rule(q)) for q in qs if q["set"] == s and q["as_written"]], 0.5)
        n = a["right"] + a["wrong"] + a["declined"]
        print(f"  {s:14} {a['right']:3} / {b['right']:3} of {n:3}   {a['unanswerable declined']:2} / {b['unanswerable declined']:2}"
              f" of {a['unanswerable declined'] + a['unanswerable answered']}")
    if args.write:
        model = fitted(qs)
        learned = export(model, answer_at)
        x = np.vstack([q["x"] for q in qs if len(q["x"]) and q["as_written"]])
        gap = np.abs(learned.probabilities(x) - model.predict_proba(x)[:, 1]).max()
        if gap > 1e-9:
            raise SystemExit(f"the exported trees disagree with the fitted model by {gap}")
        MODEL.write_text(json.dumps(learned.to_json(), separators=(",", ":")), encoding="utf-8")
        print(f"\nwrote {MODEL} (answer at {answer_at}; {len(learned.trees)} trees, checked against the fit)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
