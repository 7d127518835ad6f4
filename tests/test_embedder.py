"""The embedder sorts texts by length and cuts batches by token count; whatever the batching, each
text must get its own vector back, in the order given (a shuffle would silently attach one
passage's meaning to another's text)."""

from __future__ import annotations

import numpy as np


TEXTS = [
    "Referrals waiting for speech and language therapy, December 2023: 331.",
    "CAMHS",
    "The Cabinet agreed the capital programme for 2025-35 and the revenue budget for 2025-26, "
    "subject to the amendments set out in the report, and asked officers to report back in June.",
    "Foster carers",
    "Rate of section 47 investigations per 10,000: target March 2024 400/10,000.",
]


def test_token_budget_batches_return_each_texts_own_vector(settings):
    from councilqa.index.embedder import Embedder

    texts = TEXTS
    small = Embedder(settings.model_path(), batch_tokens=48, precision="float32")
    batches = small._batches([len(ids) for ids in small._tokenize(texts)["input_ids"]])
    assert len(batches) > 1 and sorted(i for batch in batches for i in batch) == list(range(len(texts)))

    batched = small.encode(texts)
    one_by_one = np.vstack([small.encode([text]) for text in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    # Different texts, different vectors: the rows were not all filled from one batch.
    assert float(batched[0] @ batched[1]) < 0.9
    # The embedder tokenizes once and runs the model itself: the vectors must be the ones
    # sentence-transformers' own encode gives, or a model swapped in by the setting could be misread.
    reference = small.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    np.testing.assert_allclose(batched, reference, atol=1e-5)


def test_bfloat16_vectors_rank_passages_as_float32_does(settings):
    """bfloat16 is the default where the CPU does it natively; it must not change what is found."""
    import pytest

    from councilqa.index.embedder import Embedder, resolve_precision

    if resolve_precision("auto") != "bfloat16":
        pytest.skip("this CPU has no native bfloat16, so float32 is used and nothing differs")
    exact = Embedder(settings.model_path(), precision="float32")
    fast = Embedder(settings.model_path(), precision="bfloat16")
    a, b = exact.encode(TEXTS), fast.encode(TEXTS)
    assert b.dtype == np.float32
    assert float(np.min(np.sum(a * b, axis=1))) > 0.999
    queries = ["How long is the wait for speech therapy?", "What capital programme did Cabinet agree?",
               "section 47 investigation rate target"]
    qa, qb = exact.encode(queries), fast.encode(queries)
    assert (np.argmax(qa @ a.T, axis=1) == np.argmax(qb @ b.T, axis=1)).all()


class _CountingModel:
    """The real model, with a count of how many batches it runs at once (each held a little
    longer, so that two workers free at the same time are seen together)."""

    def __init__(self, model, fail_on: str | None = None):
        import threading

        self.model, self.tokenizer, self.max_seq_length = model, model.tokenizer, model.max_seq_length
        self.fail_on = fail_on
        self.running = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, features):
        import time

        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.1)
            if self.fail_on and any(self.fail_on in self.tokenizer.decode(ids) for ids in features["input_ids"]):
                raise RuntimeError("out of memory in this batch")
            return self.model(features)
        finally:
            with self.lock:
                self.running -= 1


def _small_batches(settings):
    from councilqa.index.embedder import Embedder

    return Embedder(settings.model_path(), batch_tokens=48, precision="float32")


def test_batches_run_side_by_side_unless_a_core_is_spared(settings):
    import pytest
    import torch

    if torch.get_num_threads() < 2:
        pytest.skip("one core: batches run one at a time")
    embedder = _small_batches(settings)
    expected = embedder.encode(TEXTS)
    embedder.model = counting = _CountingModel(embedder.model)
    np.testing.assert_allclose(embedder.encode(TEXTS), expected, atol=1e-5)
    assert counting.most == 2
    counting.most = 0
    np.testing.assert_allclose(embedder.encode(TEXTS, spare_core=lambda: True), expected, atol=1e-5)
    assert counting.most == 1  # the parser keeps its core
    assert torch.get_num_threads() >= 2  # and torch gets its threads back for queries


def test_a_failing_batch_is_raised_not_left_as_an_empty_vector(settings):
    import pytest

    embedder = _small_batches(settings)
    embedder.model = _CountingModel(embedder.model, fail_on="foster")
    with pytest.raises(RuntimeError, match="out of memory in this batch"):
        embedder.encode(TEXTS)
