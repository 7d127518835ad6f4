"""Passage reranking: the cross-encoder (index/cross_encoder.py) reads the question with each of
the best fused passages, and its ranking is fused with the retrievers' one.

Why: BM25 and the small embedding model find the evidence somewhere in the first 50 passages for
most questions, but rank it in the first five far less often for questions worded unlike the
papers (a councillor's paraphrase, a question nobody tuned for). A cross-encoder trained on real
search questions (ms-marco) reads question and passage together, and ranks them by meaning.

How: the first `rerank_passages` distinct passages of the hybrid search (Settings, 50 by
default; 0 turns reranking off) are read with the question, title and section first, since they
often name what the passage leaves unsaid. Each passage then gets reciprocal-rank votes from both
orders, the cross-encoder's counting CROSS_ENCODER_VOTES times as much as the retrievers' (the
retrievers' order still breaks ties, and keeps exact names and figures in play). Passages holding
a pasted sentence stay first (index/search.py), whatever the cross-encoder says.

Chosen on the tune splits and paraphrases of every question set (407 answerable questions,
4 December 2026): the evidence among the first five passages 0.760 -> 0.885, among the first 20
0.885 -> 0.918 (the cross-encoder's order alone 0.864 / 0.918; votes 1 and 2: 0.842 and 0.864 at
five). About 13 ms a passage on 2 cores. `councilqa search`, the LangChain retriever and the
passages shown with a declined question use it; answers are not yet chosen from it
(qa/answerer.py says why; the README's Evaluation section has the figures, holdout included)."""

from __future__ import annotations

from ..schema import Passage

CROSS_ENCODER_VOTES = 3.0


def reading(passage: Passage) -> str:
    """What the cross-encoder reads of a passage: a row with its headers (its reading), a text
    with what it is part of."""
    heading = passage.section or ""
    return f"{passage.title}. {heading}. {passage.reading or passage.text}"


def fused_order(logits: list[float], rrf_k: int, votes: float = CROSS_ENCODER_VOTES) -> list[tuple[int, float]]:
    """(position, fused score) of candidates given in the retrievers' order, best first: each gets
    1 / (rrf_k + its retrieval rank) and votes / (rrf_k + its cross-encoder rank)."""
    by_reading = sorted(range(len(logits)), key=lambda i: (-logits[i], i))
    reader_rank = {i: rank for rank, i in enumerate(by_reading)}
    scores = [(i, 1.0 / (rrf_k + i + 1) + votes / (rrf_k + reader_rank[i] + 1)) for i in range(len(logits))]
    return sorted(scores, key=lambda item: (-item[1], item[0]))
