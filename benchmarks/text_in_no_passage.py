"""Benchmark (not a test): how much of an index's papers no passage holds, so no answer can quote.

    .venv/bin/python benchmarks/text_in_no_passage.py INDEX [--show N]

A passage's text is an exact span of its paper's cleaned text; a heading goes into the section
name of the passages under it, a table's header into its rows' context, and a paper's letterhead
into its metadata, so some of the cleaned text is in no passage's text. Counted here: the
non-space characters of the cleaned text outside every passage, and the stretches of 16 words or
more outside every passage (headings and column names are shorter; a longer stretch is mostly
something said that no citation can reach). `--show N` prints the first N of those stretches.
Reads the index only; a few seconds for the Kent index."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from councilqa.index.search import Searcher

LONG_STRETCH_WORDS = 16
WORD = re.compile(r"[A-Za-z]{2,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print this many long stretches")
    args = parser.parse_args()
    index = Searcher(args.index).index
    characters = outside = 0
    long_stretches: list[tuple[str, str]] = []
    for doc_id in index.documents:
        text = index.document_text(doc_id) or ""
        held = bytearray(len(text))
        for chunk in index.document_chunks(doc_id).values():
            held[chunk.start:chunk.end] = b"\1" * (chunk.end - chunk.start)
        for stretch in re.finditer(rb"\x00+", bytes(held)):
            words = text[stretch.start():stretch.end()]
            outside += len(re.sub(r"\s", "", words))
            if len(WORD.findall(words)) >= LONG_STRETCH_WORDS:
                long_stretches.append((doc_id, " ".join(words.split())))
        characters += len(re.sub(r"\s", "", text))
    print(f"{args.index}: {len(index)} passages, {len(index.documents)} papers; "
          f"{outside:,} of {characters:,} characters in no passage ({outside / max(characters, 1):.2%}); "
          f"{len(long_stretches)} stretches of {LONG_STRETCH_WORDS} words or more in no passage")
    for doc_id, words in long_stretches[: args.show]:
        print(f"  {doc_id}: {words[:160]}")


if __name__ == "__main__":
    main()
