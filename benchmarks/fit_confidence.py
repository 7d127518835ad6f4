"""Analysis (not a test): fit the answerer's confidence on the tune split and print what each
abstention threshold would do.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/answer_candidates.py \\
        --sets blackpool-dev,blackpool-new,kent,kent-new --out var/candidates.json
    .venv/bin/python benchmarks/fit_confidence.py var/candidates.json

The candidates file holds, for every tune question and paraphrase (never a holdout question),
the units the answerer weighs with their features. This script replays the answerer's choice
with the weights of qa/weights.py (the best unit, by words and the cross-encoder, that gives the
kind of answer asked for), fits a logistic regression of "the chosen unit holds the whole
answer" on the chosen unit's features, and prints, per threshold, the share of answerable questions answered right, answered wrong and
abstained on, and the share of unanswerable questions abstained on. The coefficients it prints
are the ones `qa/confidence.py` carries. Since 7 December 2026 whether the chosen unit is
answered with, and its confidence, come from the learned confidence (qa/learned_confidence.py,
fitted by benchmarks/fit_learned_confidence.py); these coefficients give the confidence of an
answer made of two units and of a recorded vote's motion. Questions are weighted so that each
set counts the same, whatever its size, and a paraphrase counts as half a question.

With --leave-one-set-out, every question is replayed with coefficients fitted on the other sets
only (the printed coefficients are still the fit on all of them), so the table says what the
refit would do on a set it never saw; it also prints, per threshold, the counts of answers right,
wrong, false abstentions and unanswerable questions answered."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from councilqa.qa.answerer import NEAR_TOP, RERANK_POOL as POOL  # the answerer's own, not copies

# The rule that decided on a single unit before the learned confidence (qa/learned_confidence.py),
# replayed here and by benchmarks/fit_learned_confidence.py for comparison: the best by words and
# logit that gives the kind of answer asked for, among those within NEAR_TOP of the best,
# answered with at ANSWER_AT.
ANSWER_AT = 0.5


def features(c: dict) -> list[float]:
    """Must match qa/confidence.py confidence()."""
    return [1.0, c["coverage"], c["logit"]]


def eligible(row: dict) -> list[dict]:
    """The units the answerer may answer with, best first, scored with qa/weights.py: the pool
    of best word scores re-scored with the cross-encoder, those that give the kind of answer
    asked for and score near the best of them."""
    from councilqa.qa.weights import RELEVANCE_WEIGHT, unit_score

    words = sorted(row["candidates"], key=lambda c: -unit_score(c["features"]))[:POOL]
    pool = sorted((dict(c, total=unit_score(c["features"]) + RELEVANCE_WEIGHT * c["logit"]) for c in words),
                  key=lambda c: -c["total"])
    giving = [c for c in pool if c["kind_given"]]
    return [c for c in giving if c["total"] >= giving[0]["total"] - NEAR_TOP]


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Weighted logistic regression by Newton's method (no intercept penalty)."""
    beta = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ beta)))
        grad = x.T @ (w * (y - p)) - penalty @ beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", type=Path)
    parser.add_argument("--leave-one-set-out", action="store_true",
                        help="replay each set with coefficients fitted on the other sets")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    rows = json.loads(args.candidates.read_text(encoding="utf-8"))
    per_set: dict[str, float] = {}
    for r in rows:
        per_set[r["set"]] = per_set.get(r["set"], 0) + (1.0 if r["wording"] == "as written" else 0.5)
    x, y, w, answerable, picked, options = [], [], [], [], [], []
    for r in rows:
        near = eligible(r)
        c = near[0] if near else None
        weight = (1.0 if r["wording"] == "as written" else 0.5) / per_set[r["set"]]
        answerable.append(r["answerable"])
        picked.append(c is not None)
        options.append(near)
        w.append(weight)
        x.append(features(c) if c else [1.0, 0.0, -10.0])
        y.append(1.0 if c and c["holds_answer"] else 0.0)
    x, y, w = np.array(x), np.array(y), np.array(w)
    answerable, picked = np.array(answerable), np.array(picked)
    beta = fit(x[picked], y[picked], w[picked])
    print("coefficients (intercept, coverage, logit):", ", ".join(f"{b:.4f}" for b in beta))
    sets = np.array([r["set"] for r in rows])
    beta_of = {name: beta for name in set(sets)}
    if args.leave_one_set_out:
        beta_of = {name: fit(x[picked & (sets != name)], y[picked & (sets != name)], w[picked & (sets != name)])
                   for name in set(sets)}
    betas = np.array([beta_of[name] for name in sets])
    confidence = 1 / (1 + np.exp(-np.sum(x * betas, axis=1)))
    confidence[~picked] = 0.0
    print(f"{len(rows)} questions ({int(answerable.sum())} answerable); the best unit holds the answer "
          f"for {y[answerable].mean():.3f} of the answerable")
    print("The answerer answers with the first unit near the top whose confidence reaches the threshold:")
    print("threshold  right  wrong  abstained | unanswerable abstained   (shares of questions; unweighted)")

    def counts(answered: np.ndarray, right: np.ndarray) -> str:
        return (f"(counts: right {(right & answerable).sum()}, wrong {(answered & ~right & answerable).sum()}, "
                f"declined {(~answered & answerable).sum()} | unanswerable answered {(answered & ~answerable).sum()})")

    def replay(sure) -> tuple[np.ndarray, np.ndarray]:
        answered, right = [], []
        for near, b in zip(options, betas):
            c = next((c for c in near if sure(c, b)), None)
            answered.append(c is not None)
            right.append(bool(c and c["holds_answer"]))
        return np.array(answered), np.array(right)

    for threshold in [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]:
        answered, right = replay(lambda c, b: 1 / (1 + np.exp(-(np.array(features(c)) @ b))) >= threshold)
        print(f"{threshold:9.2f}  {(right & answerable).sum() / answerable.sum():.3f}  "
              f"{(answered & ~right & answerable).sum() / answerable.sum():.3f}  "
              f"{(~answered & answerable).sum() / answerable.sum():9.3f} | "
              f"{(~answered & ~answerable).sum() / max((~answerable).sum(), 1):.3f}   " + counts(answered, right))
    answered, right = replay(lambda c, b: c["coverage"] >= 0.55
                             or 1 / (1 + np.exp(-(np.array(features(c)) @ b))) >= 0.5)
    print("the answerer's rule (coverage >= 0.55 or confidence >= 0.5): "
          f"right {(right & answerable).sum() / answerable.sum():.3f}, "
          f"abstained {(~answered & answerable).sum() / answerable.sum():.3f}, "
          f"unanswerable abstained {(~answered & ~answerable).sum() / max((~answerable).sum(), 1):.3f} " + counts(answered, right))
    answered, right = replay(lambda c, b: c["coverage"] >= 0.55 or c["logit"] >= 6.0)
    print("the gate before (coverage >= 0.55 or logit >= 6): "
          f"right {(right & answerable).sum() / answerable.sum():.3f}, "
          f"abstained {(~answered & answerable).sum() / answerable.sum():.3f}, "
          f"unanswerable abstained {(~answered & ~answerable).sum() / max((~answerable).sum(), 1):.3f}")
    log_loss = -np.sum(w[picked] * (y[picked] * np.log(confidence[picked] + 1e-9)
                                    + (1 - y[picked]) * np.log(1 - confidence[picked] + 1e-9))) / w[picked].sum()
    print(f"weighted log loss {log_loss:.4f} (a constant would give "
          f"{-(lambda p: p * math.log(p) + (1 - p) * math.log(1 - p))(float(np.average(y[picked], weights=w[picked]))):.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
