"""How sure the answerer is that an answer made of two units together, or a recorded vote's
motion, answers the question, as a probability. (Whether a single unit is answered with, and
its confidence, come from the learned confidence, qa/learned_confidence.py, since 7 December
2026.)

A logistic model of "the chosen sentence or row holds the whole answer" on two features of it,

- `coverage`: the rarity-weighted share of the question's ideas the unit says or is about
  (read from the index's word statistics, 0 to 1), lowered when the question names a thing no
  retrieved passage names;
- `relevance`: the cross-encoder's logit for the pair (question, unit) (index/cross_encoder.py).

The coefficients were fitted by `benchmarks/fit_confidence.py` on the units the answerer
chooses for the tune split of every question set and their paraphrases (holdout questions are
never read); that script prints them, the fit and what each threshold would do. Refit them when
the scorer, the cross-encoder or its inputs change.

It replaced a hand-set bar on the logit alone, and until the learned confidence it also decided when
a single unit was answered with (more likely right than not, or saying most of what the question
asks about). The answer carries the probability as `confidence`, so a reader (or a caller) can
tell a sure answer from a guess."""

from __future__ import annotations

import math

# Fitted 2026-12-02 by benchmarks/fit_confidence.py on 275 tune questions and paraphrases of the
# four question sets (weighted log loss 0.527, against 0.658 for a constant).
INTERCEPT = -2.1036
COVERAGE_WEIGHT = 1.2462
RELEVANCE_WEIGHT = 0.3517
# The share of the question's (rarity-weighted) terms a unit that says most of the question
# covers: what a recorded vote's motion, each of two units answering together, a part of a
# two-part question answered alone, or a second paper's different figure must cover.
ABSTAIN_BELOW = 0.55


def confidence(coverage: float, relevance: float) -> float:
    """The probability that a unit with this coverage and cross-encoder logit holds the answer."""
    z = INTERCEPT + COVERAGE_WEIGHT * coverage + RELEVANCE_WEIGHT * relevance
    return 1.0 / (1.0 + math.exp(-z))
