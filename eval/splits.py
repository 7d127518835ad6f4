"""Tune and holdout splits of a question set.

Changes are decided on the tune split; the holdout split is read only as totals, so a gain that
holds there was not tuned into the code. The split is a pure function of each question's id, its
type and a fixed seed: no file to keep in step, the same split on every machine, and a question
added later lands on one side without moving the others within another type.

Within each question type, the ids are ordered by a hash of (seed, id) and the first
ceil(HOLDOUT_SHARE x n) go to holdout, so every type (unanswerable ones included) is on both
sides and the holdout is at least HOLDOUT_SHARE of the set.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict

SEED = "councilqa-2026-12"
HOLDOUT_SHARE = 0.4
SPLITS = ("tune", "holdout")


def _order(question_id: str, seed: str) -> str:
    return hashlib.sha256(f"{seed}:{question_id}".encode()).hexdigest()


def holdout_ids(questions: list[dict], seed: str = SEED, share: float = HOLDOUT_SHARE) -> set[str]:
    by_type: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        by_type[q.get("type", "other")].append(q["id"])
    held: set[str] = set()
    for ids in by_type.values():
        ordered = sorted(ids, key=lambda i: _order(i, seed))
        held.update(ordered[: math.ceil(share * len(ordered))])
    return held


def split_of(questions: list[dict], seed: str = SEED) -> dict[str, str]:
    """Each question's id mapped to "tune" or "holdout"."""
    held = holdout_ids(questions, seed)
    return {q["id"]: ("holdout" if q["id"] in held else "tune") for q in questions}


def indexes_by_split(questions: list[dict], seed: str = SEED) -> dict[str, list[int]]:
    split = split_of(questions, seed)
    return {name: [i for i, q in enumerate(questions) if split[q["id"]] == name] for name in SPLITS}
