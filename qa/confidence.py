"""How sure the answerer is that the passage it chose answers the question, as a probability.

A logistic model of "the chosen sentence or row holds the whole answer" on two features of it,

- `coverage`: the rarity-weighted share of the question's ideas the unit says or is about
  (read from the index's word statistics, 0 to 1), lowered when the question names a thing no
  retrieved passage names;
- `relevance`: the cross-encoder's logit for the pair (question, unit) (index/cross_encoder.py).

The coefficients were fitted by `benchmarks/fit_confidence.py` on the units the answerer
chooses for the tune split of every question set and their paraphrases (holdout questions are
never read); that script prints them, the fit and what each threshold would do. Refit them when
the scorer, the cross-encoder or its inputs change.

The answerer answers with a unit that is more likely right than not, or that says most of what
the question asks about (qa/answerer.py), so this admits an answer put in other words than the
question's, as councillors' questions often are. It replaced a hand-set bar on the logit alone.
The answer carries the probability as `confidence`, so a reader (or a caller) can tell a sure
answer from a guess."""

from __future__ import annotations

import math

# Fitted 2026-12-02 by benchmarks/fit_confidence.py on 275 tune questions and paraphrases of the
# four question sets (weighted log loss 0.527, against 0.658 for a constant).
INTERCEPT = -2.1036
COVERAGE_WEIGHT = 1.2462
RELEVANCE_WEIGHT = 0.3517
# Answer when the answer is more likely right than not. Not tuned: on the tune split the
# thresholds near it trade false abstentions for answers to unanswerable questions about one
# for one (the script prints the table).
ANSWER_AT = 0.5
# The share of the question's (rarity-weighted) terms a unit that says most of the question
# covers: enough to answer with whatever the learned confidence (measured on the tune split, the
# two together answered more questions right than either alone, in every set and in the
# paraphrases); and what a recorded vote's motion, two units answering together, or a second
# paper's different figure must cover.
ABSTAIN_BELOW = 0.55


def confidence(coverage: float, relevance: float) -> float:
    """The probability that a unit with this coverage and cross-encoder logit holds the answer."""
    z = INTERCEPT + COVERAGE_WEIGHT * coverage + RELEVANCE_WEIGHT * relevance
    return 1.0 / (1.0 + math.exp(-z))
