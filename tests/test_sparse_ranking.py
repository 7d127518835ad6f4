"""BM25's best passages are taken without sorting every score (index/search.py best_first), and
come in the order a full sort gives: highest first, equal scores in row order, rows left out of
a filtered search (scored -inf) last."""

from __future__ import annotations

import numpy as np

from councilqa.index.search import best_first


def test_the_best_rows_come_as_a_full_stable_sort_gives_them():
    rng = np.random.default_rng(0)
    for trial in range(300):
        size, n = int(rng.integers(0, 400)), int(rng.integers(0, 120))
        # Few distinct scores (many ties, as BM25 gives passages sharing the same words), or all distinct.
        scores = rng.integers(0, 6, size).astype(np.float32) if trial % 2 else rng.random(size, dtype=np.float32)
        if trial % 3 == 0 and size:
            scores[rng.integers(0, size, size // 3)] = -np.inf
        assert best_first(scores, n).tolist() == np.argsort(-scores, kind="stable")[:n].tolist(), (size, n)


def test_ties_at_the_cut_keep_the_earliest_rows():
    scores = np.array([1, 3, 2, 3, 2, 2, 0], dtype=np.float32)
    assert best_first(scores, 3).tolist() == [1, 3, 2]
    assert best_first(scores, 4).tolist() == [1, 3, 2, 4]
