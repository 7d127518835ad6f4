"""The learned confidence (qa/learned_confidence.py): its trees kept as JSON give the fitted
model's probabilities, a model fitted on other features is refused, and the shipped model finds
a unit that answers likelier than one that does not, on made-up candidates."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from councilqa.qa.question import analyse
from councilqa.qa.learned_confidence import (FEATURE_NAMES, MODEL, LearnedConfidence, candidate_record, feature_matrix,
                                              load_learned_confidence, question_record)

ROOT = Path(__file__).resolve().parent.parent


def fit_module():
    spec = importlib.util.spec_from_file_location("fit_learned_confidence", ROOT / "benchmarks" / "fit_learned_confidence.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_trees_written_as_json_give_the_fitted_models_probabilities():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, len(FEATURE_NAMES)))
    y = (x[:, 0] + 0.5 * x[:, 3] - x[:, 7] * x[:, 1] + rng.normal(scale=0.5, size=600)) > 0
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, early_stopping=False).fit(x, y)
    learned = fit_module().export(model, answer_at=0.3)
    again = LearnedConfidence.from_json(json.loads(json.dumps(learned.to_json())))
    fresh = rng.normal(size=(50, len(FEATURE_NAMES)))
    assert np.allclose(again.probabilities(fresh), model.predict_proba(fresh)[:, 1], atol=1e-12)
    assert again.answer_at == 0.3


def test_a_model_fitted_on_other_features_is_refused_with_the_file_named():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="learned_confidence.json.*refit"):
        LearnedConfidence.from_json(data)


def candidate(logit: float, coverage: float, kind_given: bool, text: str, **features: float) -> dict:
    score = coverage + 0.12 * features.get("number_given", 0.0)
    return candidate_record({"coverage": coverage, "retrieval_rank": 1.0, **features}, score, coverage, logit, kind_given, text)


def test_the_unit_that_gives_the_amount_asked_for_is_the_likelier():
    q = question_record(analyse("How much did the council spend on school transport in 2023/24?"))
    answering = candidate(6.5, 0.9, True, "The council spent £41.2m on home to school transport in 2023/24.", number_given=1.0)
    framing = candidate(-4.0, 0.5, False, "School transport is reviewed each year by the committee.", number_missing=1.0)
    chances = load_learned_confidence().probabilities(feature_matrix(q, [framing, answering]))
    assert chances[1] > chances[0]
    assert chances[1] >= load_learned_confidence().answer_at


def test_candidates_that_barely_touch_the_question_are_not_answered_with():
    q = question_record(analyse("When will the new library in the town centre open?"))
    weak = [candidate(-8.0 - i, 0.15, False, f"Item {i}: apologies were received from members of the committee.",
                      decision_missing=1.0) for i in range(5)]
    chances = load_learned_confidence().probabilities(feature_matrix(q, weak))
    assert chances.max() < load_learned_confidence().answer_at
