"""Embeddings run in bfloat16 where the CPU does it natively and in float32 elsewhere, so the same
papers are indexed one way on one machine and the other way on the next. What a councillor is
shown must not depend on which: over the Kent questions, both precisions must put the same
passage first. (On a CPU without native bfloat16 it is emulated, slowly: the pool is kept small.)"""

from __future__ import annotations

import numpy as np

from conftest import ROOT, needs_kent
from councilqa.eval.harness import load_questions

POOL = 3  # passages per question, the top of the float32 dense ranking over the whole index


@needs_kent
def test_float32_and_bfloat16_rank_kent_passages_alike(kent_index, settings):
    from councilqa.index.embedder import Embedder
    from councilqa.index.search import Searcher

    searcher = Searcher(kent_index, settings)
    exact = Embedder(settings.model_path(), precision="float32")
    fast = Embedder(settings.model_path(), precision="bfloat16")
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "kent.jsonl")]
    q32, q16 = exact.encode(questions), fast.encode(questions)
    pools = [searcher.dense.search(q32[n], POOL) for n in range(len(questions))]
    rows = sorted({row for pool in pools for row in pool})
    texts = [searcher.index.chunk(row).search_text() for row in rows]
    p32, p16 = exact.encode(texts), fast.encode(texts)
    assert float(np.min(np.sum(p32 * p16, axis=1))) > 0.99  # the same meaning, a little rounded

    column = {row: n for n, row in enumerate(rows)}
    same_first, moved = 0, []
    for n, pool in enumerate(pools):
        cols = [column[row] for row in pool]
        first32 = pool[int(np.argmax(p32[cols] @ q32[n]))]
        order16 = [pool[i] for i in np.argsort(-(p16[cols] @ q16[n]))]
        same_first += first32 == order16[0]
        if order16.index(first32) > 1:
            moved.append(questions[n])
    # A near tie may swap the first two; the passage float32 puts first never falls further.
    assert same_first >= 0.9 * len(questions), f"{same_first} of {len(questions)} questions keep their first passage"
    assert not moved, moved


def test_a_bfloat16_vector_does_not_depend_on_the_texts_embedded_with_it(settings):
    """Ingest embeds whatever passages are waiting together, so the same paper is embedded with
    other companions when it is ingested alone, with a new paper, or after a re-parse. Its
    vectors, and so the order of two passages that nearly tie, must not change with them."""
    from councilqa.index.embedder import Embedder

    fast = Embedder(settings.model_path(), precision="bfloat16")
    passage = "The committee agreed the revised terms of reference and asked officers to report back in June."
    short = ["Apologies were received.", "Minutes agreed."]
    long = [" ".join(["The report sets out the budget position, the savings delivered to date and the risks"
                      " that remain for the rest of the financial year, service by service."] * 4)]
    alone = fast.encode([passage])[0]
    for company in (short, long, short + long):
        together = fast.encode([*company, passage])[-1]
        assert np.array_equal(together, alone), float(np.abs(together - alone).max())
