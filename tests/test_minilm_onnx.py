"""In float32 (the exact reference, COUNCILQA_EMBEDDING_PRECISION=float32) the bundled
all-MiniLM-L6-v2 runs with onnxruntime from an export built on first use (index/minilm_onnx.py):
less CPU time than torch, and what is found must not change. Its plain int8 build is a model of
its own, chosen by name (the int8 precision, a calibrated build, is tests/test_minilm_int8.py). The exports are built for
real here, from the bundled weights, into a folder of the test's own."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from councilqa.index.embedder import Embedder, embedder_for
from councilqa.index.minilm_onnx import is_built
from councilqa.index.onnx_embedder import OnnxEmbedder

PASSAGES = [
    "Children waited on average 23 weeks for a first speech and language therapy appointment in June.",
    "The Cabinet agreed to sell the Eastgate car park to the highest bidder.",
    "Foster carers will receive a 5% increase in their weekly allowance from April.",
    "CAMHS",
    "Rate of section 47 investigations per 10,000: target March 2024 400/10,000.",
]
QUESTIONS = ["how long is the wait for speech therapy", "what happened to the car park",
             "are foster carers paid more"]


@pytest.fixture(scope="module")
def float32(settings, model_cache):
    return settings.model_copy(update={"embedding_precision": "float32", "model_cache": model_cache})


@pytest.fixture(scope="module")
def torch_float32(settings):
    return Embedder(settings.model_path(), precision="float32")


def test_float32_runs_the_export_and_gives_the_same_vectors(float32, torch_float32):
    embedder = embedder_for(float32)
    assert isinstance(embedder, OnnxEmbedder) and embedder.precision == "float32"
    assert is_built(float32.minilm_onnx_folder("float32"))
    np.testing.assert_allclose(embedder.encode(PASSAGES), torch_float32.encode(PASSAGES), atol=1e-5)
    np.testing.assert_allclose(embedder.encode_query(QUESTIONS[0]), torch_float32.encode_query(QUESTIONS[0]), atol=1e-5)
    # Built once: the next process (here, the next call) finds it and does not build again.
    model = float32.minilm_onnx_folder("float32") / "model.onnx"
    built = model.stat().st_mtime_ns
    embedder_for(float32)
    assert model.stat().st_mtime_ns == built


def test_float32_texts_of_one_length_run_together_and_get_the_vectors_they_get_alone(float32):
    """The float32 export runs texts of the same number of tokens in one run of the model (no
    padding); a passage's vector must still be the one it gets alone, bit for bit, whatever
    else is embedded with it."""
    embedder = embedder_for(float32)
    same = [f"Item {word} on the agenda was agreed without a vote." for word in ("one", "two", "six", "ten")]
    lengths = {len(embedder.tokenizer.encode(text).ids) for text in same}
    assert len(lengths) == 1, lengths  # the made-up texts are of one length, as the test needs
    texts = same + PASSAGES
    encodings = [embedder.tokenizer.encode(t) for t in texts]
    runs = embedder._runs(list(range(len(texts))), [len(e.ids) for e in encodings])
    assert [0, 1, 2, 3] in runs  # run together
    together = embedder.encode(texts)
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(embedder.encode([text])[0], together[i])


def test_a_damaged_or_half_built_model_is_built_again(float32, model_cache):
    from councilqa.index.minilm_onnx import ensure_model
    from councilqa.settings import bundled_minilm_path

    other = model_cache / "damaged"
    folder = float32.model_copy(update={"model_cache": other}).minilm_onnx_folder("float32")
    folder.mkdir(parents=True)
    (folder / "model.onnx").write_bytes(b"half a model")  # no tokenizer.json, no build.json
    (other / f".{folder.name}.x.partial").mkdir()  # what a killed build leaves beside it
    assert ensure_model(other, Path(bundled_minilm_path()), "float32") == folder
    assert is_built(folder) and (folder / "model.onnx").stat().st_size > 1_000_000
    OnnxEmbedder(str(folder), "mean").encode(PASSAGES[:1])  # loads and runs


def test_without_a_writable_cache_sentence_transformers_runs_it(float32, tmp_path, caplog):
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("")
    settings = float32.model_copy(update={"model_cache": not_a_folder})
    with caplog.at_level(logging.WARNING):
        embedder = embedder_for(settings)
    assert isinstance(embedder, Embedder) and embedder.precision == "float32"
    assert "could not build the ONNX float32 build" in caplog.text and str(not_a_folder) in caplog.text
    vectors = embedder.encode(PASSAGES)
    assert int(np.argmax(vectors @ embedder.encode_query(QUESTIONS[2])[0])) == 2


def test_int8_is_a_model_of_its_own(copy_demo, tmp_path, settings, model_cache, torch_float32):
    from councilqa.index.search import Searcher
    from councilqa.index.store import load_index
    from councilqa.ingest.pipeline import OtherEmbeddingModel, ingest

    int8 = settings.model_copy(update={"embedding_model": "all-MiniLM-L6-v2-int8", "model_cache": model_cache})
    embedder = embedder_for(int8)
    assert isinstance(embedder, OnnxEmbedder) and embedder.precision == "int8"
    vectors, exact = embedder.encode(PASSAGES), torch_float32.encode(PASSAGES)
    assert float(np.min(np.sum(vectors * exact, axis=1))) > 0.95  # close, not the same: its own name
    for i, question in enumerate(QUESTIONS):
        assert int(np.argmax(vectors @ embedder.encode_query(question)[0])) == i

    index = tmp_path / "index"
    ingest([copy_demo], index, int8, progress=False)
    data, *_ = load_index(index)
    assert data.embedding["model"] == "all-MiniLM-L6-v2-int8"
    # Searched with default settings, the index embeds the question with its own model.
    searcher = Searcher(index, settings.model_copy(update={"model_cache": model_cache}))
    assert searcher.embedder is embedder
    top = searcher.search("When does the new hub for recruiting and keeping foster carers open?", k=5, mode="dense")
    assert any("Recruitment and Retention Hub" in p.text for p in top)
    (copy_demo / "note.md").write_text("# Note\n\nThe library opens on Sundays from May.\n", encoding="utf-8")
    with pytest.raises(OtherEmbeddingModel):
        ingest([copy_demo], index, settings, progress=False)
