"""Benchmark (not a test): does a sentence copied from a paper and pasted into search find its
passage, on its page, first?

    HF_HUB_OFFLINE=1 COUNCILQA_EMBEDDING_PRECISION=float32 .venv/bin/python \\
        benchmarks/copy_paste_search.py [--index var/bench-kent] [--corpus ../shared/corpus/kent] \\
        [--questions eval/kent.jsonl eval/kent-new.jsonl]

Officers paste a sentence from a paper into search to check a figure. This reads an existing
index (it never ingests), takes every evidence quote of the answerable questions of the Kent
question sets (the default) as a query, runs the project's search (Searcher.search, what
`councilqa search` runs) and counts a success when the FIRST passage returned is from the
quote's document, on its page, and its text holds the quote (markup removed and whitespace
collapsed, as eval/scoring.py compares). A first passage printed in several papers is returned
once, citing the original, with the others in `also_in`: its copy in the quote's document
counts, on that copy's page.

A question often gives the same quote at several places (the minutes and their reprint in the
next meeting's pack, a report and the minutes that adopt its recommendations): those are one
evidence quote found at any of its places, which is the share the tests hold at 95%. Also
printed: the share of evidence items (each place on its own), of which only one place per
distinct passage can ever come first. Then each failure: the quote's start, its places, what
came first, and the rank of the first passage that would have been right."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPTH = 10  # how far down a failure looks for the right passage, to say where it came


@dataclass
class Check:
    quote: str
    places: list[tuple[str, int | None]]  # (document, page) where the question says it is
    first: object | None  # the first Passage, or None
    rank: int | None  # 1-based rank of the first passage at one of the places (within DEPTH)
    found: list[bool]  # per place: is the first passage that one

    @property
    def ok(self) -> bool:
        return self.rank == 1


def evidence_quotes(paths: list[Path]) -> list[tuple[str, list[tuple[str, int | None]]]]:
    """(quote, places) for every distinct quote of each answerable question, in file order."""
    from councilqa.eval.harness import load_questions
    from councilqa.eval.scoring import collapse

    quotes = []
    for path in paths:
        for q in load_questions(path):
            if not q.get("answerable", True):
                continue
            places: dict[str, list] = {}
            for e in q.get("evidence") or []:
                places.setdefault(collapse(e["quote"]), []).append((e["document"], e.get("page")))
            quotes.extend(places.items())
    return quotes


def placements(searcher, passage) -> set[tuple[str, int | None]]:
    """(document, page) of a returned passage and of its copies in the papers of `also_in`."""
    from councilqa.index.search import _fold

    places = {(passage.document, passage.page)}
    if passage.also_in:
        text = _fold(passage.text)
        for doc in passage.also_in:
            places.update((doc, chunk.page) for chunk in searcher.index.document_chunks(doc).values()
                          if _fold(chunk.text) == text)
    return places


def at(searcher, passage, quote: str, place: tuple[str, int | None], aliases: dict[str, set[str]]) -> bool:
    """Is `passage` the quote's passage at `place`: it holds the quote, and it (or its copy in
    an `also_in` paper) is from that document, on that page?"""
    from councilqa.eval.scoring import collapse, same_document

    document, page = place
    if collapse(quote) not in collapse(passage.text):
        return False
    return any(same_document(document, doc, aliases) and (not page or at_page == page)
               for doc, at_page in placements(searcher, passage))


def check_quotes(searcher, quotes, aliases: dict[str, set[str]]) -> list[Check]:
    checks = []
    for quote, places in quotes:
        passages = searcher.search(quote, k=DEPTH)
        rank = next((i for i, p in enumerate(passages, 1)
                     if any(at(searcher, p, quote, place, aliases) for place in places)), None)
        first = passages[0] if passages else None
        found = [first is not None and at(searcher, first, quote, place, aliases) for place in places]
        checks.append(Check(quote, places, first, rank, found))
    return checks


def share(checks: list[Check]) -> float:
    """Evidence quotes found first at one of their places."""
    return sum(c.ok for c in checks) / len(checks) if checks else 0.0


def item_share(checks: list[Check]) -> tuple[int, int]:
    """Evidence items (each place on its own) whose passage came first: (found, of)."""
    return sum(sum(c.found) for c in checks), sum(len(c.places) for c in checks)


def main() -> int:
    from councilqa.eval.harness import document_aliases
    from councilqa.eval.scoring import collapse
    from councilqa.eval.sets import KENT, SETS
    from councilqa.index.search import PASTED_WORDS, Searcher, words
    from councilqa.settings import get_settings

    kent_sets = [s.questions for s in SETS if s.corpus == KENT]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench-kent")
    parser.add_argument("--corpus", type=Path, default=KENT, help="the corpus the index was built from (for duplicate paths)")
    parser.add_argument("--questions", type=Path, nargs="+", default=kent_sets)
    args = parser.parse_args()
    if not (args.index / "CURRENT").is_file():
        print(f"no index at {args.index} (this benchmark only reads one; build it with councilqa ingest)", file=sys.stderr)
        return 2
    settings = get_settings()
    searcher = Searcher(args.index, settings)
    aliases = document_aliases(searcher, args.corpus)
    checks = check_quotes(searcher, evidence_quotes(args.questions), aliases)
    failures = [c for c in checks if not c.ok]
    found, items = item_share(checks)
    print(f"index {args.index}: {len(searcher.index)} passages; questions {', '.join(p.name for p in args.questions)}")
    print(f"pasted evidence quotes found first at their place: {len(checks) - len(failures)}/{len(checks)} = {share(checks):.1%}")
    print(f"evidence items (each place on its own) found first: {found}/{items} = {found / max(items, 1):.1%}")
    # Search reads a query of PASTED_WORDS words or more as a pasted sentence; shorter quotes ("For
    # (35)", "£366m from borrowing") are searched as ordinary queries.
    sentences = [c for c in checks if len(words(c.quote)) >= PASTED_WORDS]
    print(f"of them quotes of {PASTED_WORDS} words or more (searched as a pasted sentence): "
          f"{sum(c.ok for c in sentences)}/{len(sentences)} = {share(sentences):.1%}")
    for c in failures:
        print(f"\nMISS {c.quote[:70]!r}{'...' if len(c.quote) > 70 else ''} ({len(c.quote.split())} words)")
        for document, page in c.places:
            print(f"  at:    {document} p{page}")
        print(f"  right passage at rank {c.rank or f'>{DEPTH}'}")
        if c.first is None:
            print("  first: nothing returned")
        else:
            f = c.first
            also = f" (also in {len(f.also_in)})" if f.also_in else ""
            holds = "holds the quote" if collapse(c.quote) in collapse(f.text) else "does not hold the quote"
            print(f"  first: {f.document} p{f.page}{also}, {holds}: {collapse(f.text)[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
