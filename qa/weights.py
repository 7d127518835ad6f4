"""The weights of the answerer's unit features (qa/answer_kinds.py `unit_features`).

A candidate unit's score is the weighted sum of its features; the cross-encoder's logit is
added, weighted by `relevance`, for the units it reads. Each feature is one general rule about
the kind of answer a question asks for (named in `unit_features`, which says why it helps); the
weight is how much that rule counts.

The weights below were set by hand. `benchmarks/fit_weights.py` fits them on the tune split of
every question set and the paraphrases (never on holdout questions), shrunk towards these values
by a ridge whose strength is chosen by cross-validation. On 2 December 2026 no fitted set beat
these in cross-validation (the share of questions whose chosen unit holds the answer: 0.671 with
these, 0.642 to 0.650 fitted), so these stay; refit when a feature is added or changed, and
adopt a fit only when its cross-validated share is higher."""

from __future__ import annotations

UNIT_WEIGHTS: dict[str, float] = {
    "coverage": 1.0,
    "retrieval_rank": 0.12,
    "number_given": 0.12,
    "number_missing": -0.2,
    "duration_given": 0.12,
    "duration_missing": -0.3,
    "percent_given": 0.05,
    "word_pairs_shared": 0.06,
    "decision_missing": -0.15,
    "decision_said": 0.2,
    "resolution": 0.25,
    "procedural": -0.2,
    "other_body": -0.3,
    "body_minutes": 0.15,
    "date_given": 0.15,
    "reason_given": 0.15,
    "list_given": 0.25,
    "target_said": 0.1,
    "one_option_named": 0.25,
    "no_option_named": -0.2,
    "category_named": 0.15,
    "category_missing": -0.2,
    "person_named": 0.1,
    "chair_formula": 0.2,
    "meeting_named": 0.1,
    "month_named": 0.15,
    "month_outcome_row": 0.1,
    "length_over_500": -0.15,
    "fragment": -0.2,
}
# The cross-encoder's logit, for the units it reads.
RELEVANCE_WEIGHT = 0.1


def unit_score(features: dict[str, float]) -> float:
    """A unit's score from its features, before the cross-encoder reads it."""
    return sum(UNIT_WEIGHTS[name] * value for name, value in features.items())
