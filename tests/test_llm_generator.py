"""COUNCILQA_GENERATOR=llm against a real model server: SmolLM2-135M-Instruct served by llama.cpp
(xllamacpp) on a loopback port, started and stopped here (tests/llm_server.py), over the real
demo index. The model is small and often wrong, which is the point: its wrong figures and its
uncited sentences must be caught, and what gets through must be cited by spans that support it.

Only the endpoint's failures (down, slow, a 500, a reply that is not a chat completion) use a
FAKE server: a few lines of http.server below, labelled as such, since a real server cannot be
made to fail on cue. Questions are this file's own, about the demo papers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from councilqa.qa.figures import ungrounded
from councilqa.qa.llm_check import cited_numbers, split_sentences, unsupported, without_citations
from councilqa.qa.service import QAService
from councilqa.schema import Answer

from llm_server import LlamaServer, free_port, missing

# The model's reply to a question is greedy (temperature 0), so these are stable for one build;
# the assertions below hold for whatever it writes, and ask only that each kind of outcome the
# checks exist for shows up among them.
QUESTIONS = [
    "What did the Young Inspectors do?",
    "What is the re-referral rate?",
    "How long was the average wait for CAMHS?",
    "How much money did the DfE give Blackpool for family safeguarding teams?",
]


@pytest.fixture(scope="module")
def model_server(tmp_path_factory):
    if reason := missing():
        pytest.skip(reason)
    with LlamaServer(tmp_path_factory.mktemp("llm") / "llama-server.log") as server:
        yield server


def llm_settings(settings, base_url: str, **more):
    # One passage of 500 characters and 80 tokens keep each answer to a second or two on 2 cores.
    return settings.model_copy(update={"generator": "llm", "llm_base_url": base_url, "llm_model": "smollm2",
                                       "llm_passages": 1, "llm_passage_chars": 500, "llm_max_tokens": 80,
                                       "llm_timeout": 60.0, **more})


@pytest.fixture(scope="module")
def answers(model_server, demo_index, settings) -> dict[str, tuple[Answer, Answer]]:
    """Each question answered extractively and by the model, from the same loaded index."""
    extractive = QAService(demo_index, settings)
    service = QAService(demo_index, llm_settings(settings, model_server.base_url))
    service._answerer = extractive.answerer  # one loaded index for both
    service._generation = extractive._generation
    return {q: (extractive.ask(q), service.ask(q)) for q in QUESTIONS}


def test_what_the_model_writes_is_shown_only_when_every_sentence_checks_out(answers, demo_searcher):
    through = 0
    for question, (extractive, answer) in answers.items():
        assert answer.generation is not None and answer.generation.asked, question
        if answer.generator == "extractive":
            # Fell back: the extractive answer exactly, with a note saying why.
            assert answer.generation.fell_back and "extractive answer" in answer.note
            assert answer.answer == extractive.answer and answer.citations == extractive.citations
            continue
        through += 1
        assert not answer.generation.fell_back and answer.note.startswith("Written by the language model")
        sentences = split_sentences(answer.answer)
        assert sentences and len(sentences) == answer.generation.sentences - len(answer.generation.dropped)
        for sentence in sentences:
            numbers = cited_numbers(sentence)
            assert numbers, f"an uncited sentence got through: {sentence}"
            cited = [answer.citations[n - 1] for n in numbers]
            # Checked again here, independently of the generator: figures, dates and names of the
            # sentence are in the passages it cites, and the eval's figure check agrees.
            text = without_citations(sentence)
            assert unsupported(text, "\n".join(c.passage for c in cited), "\n".join(c.title for c in cited)) == []
            assert ungrounded(text, [c.passage for c in cited]) == []
        for c in answer.citations:
            # The quote is an exact span of the document, inside the passage cited.
            chunk = demo_searcher.index.chunk_by_id(c.passage_id)
            assert chunk.start <= c.start < c.end <= chunk.end
            assert chunk.text[c.start - chunk.start:c.end - chunk.start] == c.quote
    assert through >= 1, "no answer of the model passed the checks: the pass path is untested"


def test_its_made_up_figures_and_uncited_sentences_are_caught(answers):
    dropped = [d for _, answer in answers.values() for d in answer.generation.dropped]
    assert any(d.reason.startswith("cites no passage") for d in dropped)
    wrong_figures = [d for d in dropped if "figure" in d.reason]
    assert wrong_figures, [d.model_dump() for d in dropped]
    for _, answer in answers.values():
        for d in answer.generation.dropped:
            assert d.sentence not in answer.answer  # a dropped sentence is never shown


def test_the_eval_counts_what_the_checks_dropped_and_how_often_it_fell_back(answers):
    from councilqa.eval.harness import generation_metrics

    responses = [answer.model_dump() for _, answer in answers.values()]
    m = generation_metrics(responses)
    written = sum(a.generation.sentences for _, a in answers.values())
    dropped = sum(len(a.generation.dropped) for _, a in answers.values())
    assert m["llm_sentences"] == written and m["llm_dropped_share"] == round(dropped / written, 3)
    assert m["llm_fell_back"] == round(sum(a.generator == "extractive" for _, a in answers.values()) / len(answers), 3)


# -- the endpoint failing: FAKE servers ---------------------------------------------------------


class FakeEndpoint:
    """A FAKE OpenAI-compatible endpoint that fails in one chosen way: "slow" (answers after
    the client has given up), "status" (HTTP 500), "garbage" (200 with a body that is not a
    chat completion). Used only for these error cases."""

    def __init__(self, mode: str):
        mode_ = mode

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if mode_ == "slow":
                    time.sleep(3)
                if mode_ == "status":
                    self.send_response(500)
                    body = b'{"error": {"message": "model crashed"}}'
                elif mode_ == "garbage":
                    self.send_response(200)
                    body = b"<html>proxy login</html>"
                else:
                    self.send_response(200)
                    body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "fake", "choices": [
                        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "late [1]."}}]}).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up first (slow)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


QUESTION = "How long was the average wait for CAMHS?"


@pytest.fixture(scope="module")
def extractive_answer(demo_index, settings) -> Answer:
    return QAService(demo_index, settings).ask(QUESTION)


@pytest.mark.parametrize("mode, said", [
    ("down", "could not be reached"),
    ("slow", "did not answer within 1 s"),
    ("status", "answered with HTTP status 500"),
    ("garbage", "not a chat completion"),
])
def test_an_endpoint_that_fails_gives_the_extractive_answer_with_a_note_never_an_error(
        mode, said, demo_index, settings, extractive_answer):
    """FAKE endpoints (see FakeEndpoint), through the API as a caller would meet them."""
    if mode == "down":
        base_url, fake = f"http://127.0.0.1:{free_port()}/v1", None  # nothing listens there
    else:
        fake = FakeEndpoint(mode).__enter__()
        base_url = fake.base_url
    try:
        client = TestClient(create_app_for(demo_index, llm_settings(settings, base_url, llm_timeout=1.0, llm_max_retries=0)))
        started = time.monotonic()
        reply = client.post("/api/ask", json={"question": QUESTION})
        assert time.monotonic() - started < 30
    finally:
        if fake:
            fake.__exit__()
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["generator"] == "extractive" and body["generation"]["fell_back"]
    assert said in body["note"] and body["note"].endswith("so this is the extractive answer.")
    assert body["answer"] == extractive_answer.answer
    assert [c["quote"] for c in body["citations"]] == [c.quote for c in extractive_answer.citations]


def create_app_for(index, settings):
    from councilqa.api.app import create_app

    return create_app(index, settings)


def test_an_unset_model_name_is_said_not_raised(demo_index, settings, extractive_answer):
    answer = QAService(demo_index, llm_settings(settings, "http://127.0.0.1:9/v1", llm_model="")).ask(QUESTION)
    assert answer.generator == "extractive" and "COUNCILQA_LLM_MODEL is not set" in answer.note
    assert answer.answer == extractive_answer.answer


def test_the_extractive_generator_is_unchanged_and_never_loads_langchain(demo_index, extractive_answer):
    assert extractive_answer.generator == "extractive"
    assert extractive_answer.note is None and extractive_answer.generation is None
    # A fresh interpreter: the service, the API and the CLI, answering, without a LangChain module.
    script = ("import sys; from pathlib import Path; from councilqa.qa.service import QAService; import councilqa.api.app, "
              f"councilqa.cli; a = QAService(Path({str(demo_index)!r})).ask({QUESTION!r}); "
              "loaded = sorted(m for m in sys.modules if m.startswith(('langchain', 'openai'))); "
              "print(a.generator, loaded)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         env={**__import__("os").environ, "HF_HUB_OFFLINE": "1", "COUNCILQA_GENERATOR": "extractive"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("extractive []"), out.stdout
