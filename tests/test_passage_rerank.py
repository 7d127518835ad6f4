"""The cross-encoder reorders the hybrid search's best passages (index/rerank.py): a question put
in other words than the paper's finds the passage that answers it first, ahead of passages that
share more of its words, and a pasted sentence's own passage stays first."""

from __future__ import annotations

import pytest

from councilqa.index.rerank import fused_order
from councilqa.index.search import Searcher
from councilqa.ingest.pipeline import ingest
from councilqa.qa.answerer import Answerer

QUESTION = "How long do kids have to wait to see a speech therapist?"
ANSWER = ("Children referred to the speech and language therapy service in December waited an average "
          "of 14 weeks for a first appointment, and the longest wait was 31 weeks.")
# Passages that share the question's words (kids, wait, see, speech, therapist, long) and answer
# something else.
DECOYS = [
    "Kids can see the new play area at Stanley Park; the wait for the long slide will be shorter "
    "once the second slide opens. A speech by the Mayor opened the play area.",
    "The therapist recruitment campaign: how long will kids' services wait to see whether the "
    "new speech therapist posts are filled? Members asked to see the advert.",
    "Kids' Speech Day at the library: children were invited to see a speech therapist read "
    "stories; families did not have to wait long to see the shows.",
    "Long waits to see a GP: kids and adults alike wait for appointments; the committee heard a "
    "speech from the therapist network about primary care.",
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, settings):
    root = tmp_path_factory.mktemp("rerank")
    papers = root / "papers" / "2024-01-15-scrutiny"
    papers.mkdir(parents=True)
    for n, text in enumerate([ANSWER, *DECOYS]):
        (papers / f"paper-{n}.txt").write_text(
            f"Report to:\tCHILDREN AND YOUNG PEOPLE SCRUTINY\nDate of Meeting:\t15 January 2024\n\n"
            f"ITEM {n + 1}\n\n{text}\n", encoding="utf-8")
    ingest([root / "papers"], root / "index", settings, progress=False)
    return Searcher(root / "index", settings)


def test_a_question_in_other_words_finds_the_answering_passage_first(searcher):
    without = searcher.search(QUESTION, k=5, rerank=False)
    assert ANSWER not in without[0].text  # the retrievers alone put a decoy first
    reranked = searcher.search(QUESTION, k=5)
    assert ANSWER in reranked[0].text
    assert [p.score for p in reranked] == sorted((p.score for p in reranked), reverse=True)
    # Each reordered passage carries the cross-encoder's reading of it, the answer's the highest.
    assert reranked[0].relevance == max(p.relevance for p in reranked)
    assert all(p.relevance is None for p in without)


def test_reranking_can_be_turned_off_in_the_settings(searcher):
    off = Searcher(searcher.index_dir, searcher.settings.model_copy(update={"rerank_passages": 0}))
    assert [p.id for p in off.search(QUESTION, k=5)] == [p.id for p in searcher.search(QUESTION, k=5, rerank=False)]


def test_a_pasted_sentence_keeps_its_passage_first(searcher):
    pasted = DECOYS[2].split(";")[0]
    assert pasted in searcher.search(pasted, k=5)[0].text


def test_both_orders_vote():
    # Retrieval order 0..3; the reader likes 3 best and 0 least.
    order = [i for i, _ in fused_order([-5.0, 1.0, 2.0, 8.0], rrf_k=60)]
    assert order[0] == 3  # the reader's first, with its votes counted three times
    assert order[-1] == 0  # the retrievers' first, read as least relevant
    # Equal readings leave the retrievers' order.
    assert [i for i, _ in fused_order([0.5, 0.5, 0.5], rrf_k=60)] == [0, 1, 2]
    # With the reader's votes counting as much as the retrievers', a swap ties and the
    # retrievers' order breaks the tie.
    assert [i for i, _ in fused_order([0.0, 1.0], rrf_k=60, votes=1.0)] == [0, 1]


def test_declining_it_shows_first_the_passage_read_as_closest(searcher):
    # Nothing in the papers says what the service costs; the passage about it is still the place
    # to look, and the retrievers alone would show a decoy first.
    question = "How much money do kids' speech therapists get next year?"
    assert ANSWER not in searcher.search(question, k=5, rerank=False)[0].text
    declined = Answerer(searcher).answer(question)
    assert declined.abstained and not declined.citations
    assert ANSWER in declined.passages[0].text
