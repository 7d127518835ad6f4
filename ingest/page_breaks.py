"""Rule "a sentence cut by a page break is read whole".

A passage lies on one page, so that its citation names one page and the viewer can highlight it
there. But about one page break in six in committee papers falls inside a sentence ("As of
January" ends a page, "2025, the 18-25 section was working with 300 young people." opens the
next), and neither half says what the sentence says: the first has no figure, the second no
date. Each half keeps its own text (what is quoted and highlighted), and its context, which is
searched and read as what the passage is about but never quoted, gets the other half: the
passage ending the page gets the words that finish its sentence, the passage opening the next
page the words that begin it.

A break is inside a sentence when the last passage of a page and the first of the next are both
text, under the same heading (a heading at the top of the page starts something new), the first
does not end as a sentence ends, and the second opens as no sentence does: with a small letter,
a figure or a punctuation mark."""

from __future__ import annotations

import re

from ..schema import Chunk
from .clean import ends_sentence

# A sentence's end inside a passage: a full stop, question or exclamation mark and a space.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]?\s+")
OPENS_MID_SENTENCE = re.compile(r"^[a-z0-9,;:)\]–-]")
MOST = 300  # characters of the other half carried over: a sentence, not a page


def read_cut_sentences_whole(chunks: list[Chunk]) -> None:
    """Give the two passages either side of each page break that falls inside a sentence the
    other half of that sentence, in their context."""
    for before, after in zip(chunks, chunks[1:]):
        if not _cut_between(before, after):
            continue
        start = _last_sentence_start(before.text)
        before.context = _joined(before.context, _first_sentence(after.text))
        after.context = _joined(before.text[start:][-MOST:], after.context)


def _cut_between(before: Chunk, after: Chunk) -> bool:
    return (before.kind == after.kind == "text" and before.page is not None and after.page == before.page + 1
            and before.document_id == after.document_id and before.section == after.section
            and not ends_sentence(before.text) and OPENS_MID_SENTENCE.match(after.text) is not None)


def _first_sentence(text: str) -> str:
    end = SENTENCE_END.search(text)
    return (text[:end.start()] if end else text)[:MOST]


def _last_sentence_start(text: str) -> int:
    ends = list(SENTENCE_END.finditer(text))
    return ends[-1].end() if ends else 0


def _joined(first: str, second: str) -> str:
    return "\n".join(part for part in (" ".join(first.split()), second) if part)
