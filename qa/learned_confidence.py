"""The learned confidence: how likely a candidate unit (a sentence, or a table row with its
headers) is to hold the whole answer to a question, as a probability. The answerer answers with
the unit its rules choose when this reaches `answer_at`, and returns it as the answer's
`confidence`.

Why: the answerer decided whether to answer by a logistic model of two features (coverage and
the cross-encoder's logit, qa/confidence.py) and a bar on coverage alone, both set on the
questions they were tried on. This model reads everything the answerer knows of a candidate,
is learned from the tune questions of every question set at once, and is judged by leaving one
question set out at a time: each set is scored by a model that never saw it, the nearer measure
of questions nobody tuned for.

What it reads, per candidate (the answerer's pool: the best units by the word score, each read
by the cross-encoder):
- the unit's word features (qa/answer_kinds.py `unit_features`, the names in qa/weights.py),
  its word score, its coverage of the question (lowered when the question names something no
  passage names), the cross-encoder's logit, whether it gives the kind of answer asked for, and
  its length;
- where it stands among the other candidates of the same question: its logit, score and
  coverage against the best of them, and its place in each order (a logit of 3 is a strong
  reading among weak ones and a weak one among strong ones); the words and the reading weighed
  together as the answerer orders units, and the confidence qa/confidence.py gives it;
- what the question asks for (its kind and the kinds of answer it wants), so that a feature can
  count for one kind of question and not another.

The model is gradient-boosted trees, fitted by `benchmarks/fit_learned_confidence.py`
(scikit-learn, a development dependency) with the direction of each feature's effect fixed
beforehand, and kept as JSON beside this module (learned_confidence.json): nodes, thresholds and
leaf values, read here with numpy. Nothing is pickled. Refit it when a feature, the
cross-encoder or the scorer changes; the fit prints its leave-one-set-out figures beside the
rule it replaced."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .confidence import confidence
from .question import Question
from .weights import RELEVANCE_WEIGHT, UNIT_WEIGHTS

MODEL = Path(__file__).with_name("learned_confidence.json")
# A unit that says this much of the question (its rarity-weighted coverage) is answered with,
# however the model reads it: chosen by leaving one set out with the model (7 December 2026, of
# 0.55, 0.65, 0.75 and none: 0.75, one question better than none).
COVERS_QUESTION = 0.75
QUESTION_KINDS = ("date", "decision", "figure", "target", "waiting", "who", "fact")
QUESTION_WANTS = ("wants_number", "wants_percent", "wants_person", "wants_date", "asks_quantity", "asks_duration",
                  "asks_money", "asks_decision", "asks_outcome", "asks_name", "asks_person", "asks_frequency")
# A candidate record's fields, and their names as features ("coverage" is the word feature too;
# the record's is lowered when the question names something no passage names).
CANDIDATE_FIELDS = ("score", "coverage", "logit", "kind_given", "characters")
CANDIDATE_FEATURES = ("score", "coverage_with_names", "logit", "kind_given", "characters")
STANDING = ("logit_below_best", "score_below_best", "coverage_below_best", "logit_place", "score_place",
            "logit_below_best_giving", "weighed", "weighed_below_best_giving", "confidence_before")
QUESTION_FEATURES = tuple(f"kind_{k}" for k in QUESTION_KINDS) + QUESTION_WANTS
FEATURE_NAMES = tuple(UNIT_WEIGHTS) + CANDIDATE_FEATURES + STANDING + QUESTION_FEATURES


def question_record(q: Question) -> dict[str, float]:
    """What the question asks for, as numbers."""
    record = {f"kind_{k}": float(q.kind == k) for k in QUESTION_KINDS}
    record.update({name: float(getattr(q, name)) for name in QUESTION_WANTS})
    return record


def candidate_record(features: dict[str, float], score: float, coverage: float, logit: float,
                     kind_given: bool, text: str) -> dict:
    """One candidate as the model reads it: `text` is what the cross-encoder read of it."""
    return {"features": dict(features), "score": score, "coverage": coverage, "logit": logit,
            "kind_given": kind_given, "characters": len(text)}


def feature_matrix(question: dict[str, float], candidates: list[dict]) -> np.ndarray:
    """One row per candidate, in the order given (the word score's), columns as FEATURE_NAMES."""
    if not candidates:
        return np.zeros((0, len(FEATURE_NAMES)))
    logit = np.array([c["logit"] for c in candidates], dtype=float)
    score = np.array([c["score"] for c in candidates], dtype=float)
    coverage = np.array([c["coverage"] for c in candidates], dtype=float)
    giving = np.array([bool(c["kind_given"]) for c in candidates])
    best_giving = logit[giving].max() if giving.any() else logit.max()
    # The rule the model replaced, as features it can lean on where the tune questions are few:
    # the words and the reading weighed together (qa/weights.py), against the best that gives the
    # kind asked, and the confidence it answered on (qa/confidence.py).
    weighed = score + RELEVANCE_WEIGHT * logit
    best_weighed = weighed[giving].max() if giving.any() else weighed.max()
    logit_place = np.argsort(np.argsort(-logit, kind="stable"), kind="stable")
    rows = []
    for i, c in enumerate(candidates):
        standing = [logit[i] - logit.max(), score[i] - score.max(), coverage[i] - coverage.max(),
                    float(logit_place[i]), float(i), logit[i] - best_giving, weighed[i], weighed[i] - best_weighed,
                    confidence(coverage[i], logit[i])]
        rows.append([float(c["features"].get(name, 0.0)) for name in UNIT_WEIGHTS]
                    + [float(c[name]) for name in CANDIDATE_FIELDS] + standing
                    + [question.get(name, 0.0) for name in QUESTION_FEATURES])
    return np.array(rows, dtype=float)


@dataclass(frozen=True)
class Tree:
    """One fitted tree: node i splits on feature[i] at threshold[i] (a value at or below it goes
    left; a missing one goes where the fit sent missing values), or is a leaf worth value[i]."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    missing_left: np.ndarray
    leaf: np.ndarray
    value: np.ndarray

    def values(self, x: np.ndarray) -> np.ndarray:
        """The leaf value each row reaches, all rows a level at a time."""
        node = np.zeros(len(x), dtype=int)
        rows = np.arange(len(x))
        while not self.leaf[node].all():
            v = x[rows, self.feature[node]]
            go_left = np.where(np.isnan(v), self.missing_left[node], v <= self.threshold[node])
            node = np.where(self.leaf[node], node, np.where(go_left, self.left[node], self.right[node]))
        return self.value[node]


@dataclass(frozen=True)
class LearnedConfidence:
    features: tuple[str, ...]
    baseline: float
    trees: tuple[Tree, ...]
    answer_at: float  # answer with a unit at least this likely to hold the answer

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """The chance that each row's candidate (feature_matrix) holds the whole answer."""
        raw = np.full(len(x), self.baseline)
        for tree in self.trees:
            raw += tree.values(x)
        return 1.0 / (1.0 + np.exp(-raw))

    def to_json(self) -> dict:
        return {"features": list(self.features), "baseline": self.baseline, "answer_at": self.answer_at,
                "trees": [{name: getattr(t, name).tolist() for name in Tree.__dataclass_fields__} for t in self.trees]}

    @classmethod
    def from_json(cls, data: dict, source: Path = MODEL) -> LearnedConfidence:
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError(f"{source}: fitted on other features than qa/learned_confidence.py computes; refit it "
                             "with benchmarks/fit_learned_confidence.py")
        types = {"feature": int, "left": int, "right": int, "missing_left": bool, "leaf": bool,
                 "threshold": float, "value": float}
        trees = tuple(Tree(**{name: np.array(t[name], dtype=types[name]) for name in types}) for t in data["trees"])
        return cls(tuple(data["features"]), float(data["baseline"]), trees, float(data["answer_at"]))


@lru_cache(maxsize=2)
def load_learned_confidence(path: Path = MODEL) -> LearnedConfidence:
    return LearnedConfidence.from_json(json.loads(path.read_text(encoding="utf-8")), path)
