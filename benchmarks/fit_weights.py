"""Analysis (not a test): fit the weights of the answerer's unit features on the tune split,
choosing how far they may move from their starting values by cross-validation.

    COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python benchmarks/answer_candidates.py \\
        --sets blackpool-dev,blackpool-new,kent,kent-new --out var/candidates.json
    .venv/bin/python benchmarks/fit_weights.py var/candidates.json

The model: a unit's score is the weighted sum of its features (qa/weights.py) plus a weight
times the cross-encoder's logit; among the candidates of a question that give the kind of answer
asked for, the chance of each being the answer is a softmax of their scores. The weights
maximise the chance of the units that hold the answer, with a penalty on their distance from
the weights in qa/weights.py (a ridge towards the prior, so a feature seen on few questions
keeps about its prior weight). The penalty's strength is chosen by 5-fold cross-validation,
with a question and its paraphrases always in the same fold, on the share of questions whose
chosen unit (replaying the answerer's choice) holds the answer. With --leave-one-set-out each
question set is a fold of its own: every set is scored by weights fitted on the others only,
the nearer measure of how the weights do on questions written by someone else, at another time,
or about another council's papers. It prints that share for the
prior and for each strength, per set, and the fitted weights to copy into qa/weights.py.
Only tune questions and paraphrases are in the candidates file; holdout questions are never read."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
from councilqa.qa.answerer import NEAR_TOP, RERANK_POOL as POOL  # the answerer's own, not copies
SHARPNESS = 10.0  # a score 0.1 higher is e times as likely: the scale the prior weights were set on
FOLDS = 5
# The logit is fitted divided by this, so it ranges about as far as the coverage (0 to 1) and the
# ridge holds both alike; the weight printed for "relevance" is per logit, as qa/weights.py takes it.
LOGIT_SCALE = 10.0
STRENGTHS = [0.3, 1.0, 3.0, 10.0, 30.0, 100.0]


def prior() -> tuple[list[str], np.ndarray]:
    import sys

    sys.path.insert(0, str(ROOT))
    from councilqa.qa.weights import RELEVANCE_WEIGHT, UNIT_WEIGHTS

    names = list(UNIT_WEIGHTS) + ["relevance"]
    return names, np.array(list(UNIT_WEIGHTS.values()) + [RELEVANCE_WEIGHT * LOGIT_SCALE])


def matrices(rows: list[dict], names: list[str]) -> list[dict]:
    """Per question: features (with the logit last), which candidates give the kind of answer
    asked for, which hold the answer."""
    index = {n: i for i, n in enumerate(names)}
    out = []
    for r in rows:
        cands = r["candidates"]
        x = np.zeros((len(cands), len(names)))
        for j, c in enumerate(cands):
            for name, value in c["features"].items():
                x[j, index[name]] = value
            x[j, -1] = c["logit"] / LOGIT_SCALE
        out.append({"set": r["set"], "wording": r["wording"], "answerable": r["answerable"],
                    "group": re.sub(r"-p\d+$", "", r["id"]) + "@" + r["set"],
                    "x": x, "kind": np.array([c["kind_given"] for c in cands], dtype=bool),
                    "holds": np.array([c["holds_answer"] for c in cands], dtype=bool)})
    return out


def choose(q: dict, w: np.ndarray) -> int | None:
    """Replay the answerer: the pool of best word scores, re-scored with the logit, the best
    near the top that gives the kind of answer asked for."""
    if not len(q["x"]):
        return None
    words = q["x"][:, :-1] @ w[:-1]
    pool = np.argsort(-words, kind="stable")[:POOL]
    total = words[pool] + w[-1] * q["x"][pool, -1]
    top = total.max()
    best = None
    for j, t in sorted(zip(pool, total), key=lambda p: -p[1]):
        if q["kind"][j] and t >= top - NEAR_TOP:
            best = j
            break
    return best


def held(questions: list[dict], w: np.ndarray) -> float:
    answerable = [q for q in questions if q["answerable"]]
    hits = sum(1 for q in answerable if (j := choose(q, w)) is not None and q["holds"][j])
    return hits / max(len(answerable), 1)


def fit(questions: list[dict], w0: np.ndarray, strength: float) -> np.ndarray:
    usable = [q for q in questions if q["answerable"] and (q["kind"] & q["holds"]).any()]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for q in usable:
            x = q["x"][q["kind"]]
            pos = q["holds"][q["kind"]]
            s = SHARPNESS * (x @ w)
            s -= s.max()
            e = np.exp(s)
            p_all = e / e.sum()
            p_pos = e[pos] / e[pos].sum()
            total -= np.log(e[pos].sum()) - np.log(e.sum())
            grad -= SHARPNESS * (p_pos @ x[pos] - p_all @ x)
        total += strength * np.sum((w - w0) ** 2)
        grad += 2 * strength * (w - w0)
        return total, grad

    return minimize(loss, w0.copy(), jac=True, method="L-BFGS-B").x


def fold_of(group: str) -> int:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % FOLDS


def set_folds(questions: list[dict]) -> dict[str, int]:
    """Each question's group mapped to its set's fold: leave one set out."""
    sets = sorted({q["set"] for q in questions})
    return {q["group"]: sets.index(q["set"]) for q in questions}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", type=Path)
    parser.add_argument("--leave-one-set-out", action="store_true", help="one fold per question set, not five mixed folds")
    args = parser.parse_args()
    names, w0 = prior()
    questions = matrices(json.loads(args.candidates.read_text(encoding="utf-8")), names)
    if args.leave_one_set_out:
        by_set = set_folds(questions)
        folds, fold = len(set(by_set.values())), by_set.__getitem__
    else:
        folds, fold = FOLDS, fold_of
    groups = sorted({(q["set"], q["wording"]) for q in questions})
    print("share of answerable questions whose chosen unit holds the answer "
          "(cross-validated for fitted weights):")
    print(f"{'weights':>14} " + " ".join(f"{s[:13]}/{w[:4]:>5}" for s, w in groups) + "    all")

    def line(label: str, chosen: dict[int, np.ndarray]) -> float:
        shares = []
        for s, w in groups:
            subset = [q for q in questions if q["set"] == s and q["wording"] == w]
            answerable = [q for q in subset if q["answerable"]]
            hits = sum(1 for q in answerable
                       if (j := choose(q, chosen[fold(q["group"])])) is not None and q["holds"][j])
            shares.append(hits / max(len(answerable), 1))
        everything = [q for q in questions if q["answerable"]]
        overall = sum(1 for q in everything
                      if (j := choose(q, chosen[fold(q["group"])])) is not None and q["holds"][j]) / len(everything)
        print(f"{label:>14} " + " ".join(f"{v:>18.3f}" for v in shares) + f" {overall:6.3f}")
        return overall

    line("prior", {k: w0 for k in range(folds)})
    best = (-1.0, None)
    for strength in STRENGTHS:
        per_fold = {k: fit([q for q in questions if fold(q["group"]) != k], w0, strength) for k in range(folds)}
        share = line(f"ridge {strength:g}", per_fold)
        if share > best[0]:
            best = (share, strength)
    strength = best[1]
    w = fit(questions, w0, strength)
    print(f"\nchosen strength {strength:g}; fitted on every tune question: in-sample share {held(questions, w):.3f} "
          f"(prior {held(questions, w0):.3f})")
    print("weights (prior -> fitted):")
    scale = np.ones(len(names))
    scale[-1] = 1 / LOGIT_SCALE
    for name, a, b in zip(names, w0 * scale, w * scale):
        print(f"    {name!r}: {b:.3f},  # prior {a:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
