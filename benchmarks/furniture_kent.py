"""Benchmark (not a test): every line that cleaning removes as page furniture over a corpus.

    .venv/bin/python benchmarks/furniture_kent.py [--corpus ../shared/corpus/kent] [--only SUBSTRING]
        [--rows-only]

Reads every PDF of the corpus with the project's own reader (ingest.readers.read_file, as
ingestion does) and cleans it (ingest.clean.clean_pages); no chunking, no embedding. Prints,
document by document, each distinct line removed as a running header/footer or a page number,
with how many times it was removed and its reason ("row" marks a row-like line), then totals:
lines removed (running headers, page numbers), distinct lines, and the row-like lines among them.

Row-like (row_like): a line of two table cells or more (the PDF reader writes a table's row as
cells joined by tabs), a cell holding only a page number not counted, or a label followed by two
figures or more ("TOTAL £m 334.7 290.0", "Gross expenditure 1,234 1,305"). A row-like line
removed as furniture is where figures can be lost: read each one listed.

About 15 s for the 135 Kent PDFs on 2 cores."""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from councilqa.ingest.clean import clean_pages
from councilqa.ingest.errors import UnreadableFile
from councilqa.ingest.pipeline import discover
from councilqa.ingest.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "kent"
FURNITURE = {"running header", "page number"}

# A figure as a table prints it: "1,234", "334.7", "(12.5)", "£5m", "-3%". Periods ("2025-26") and
# dates are not figures here.
FIGURE = re.compile(r"[(£$€+\-–]*\d[\d,]*(?:\.\d+)?(?:%|m|k|bn)?\)?")
WORD = re.compile(r"[A-Za-z]{2,}")
# A footer's page number, in a cell of its own: "7", "Page 7", "Page 7 of 12", "7 of 12", "- 7 -".
PAGE_CELL = re.compile(r"\s*(?:(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?|-\s*\d{1,4}\s*-)\s*", re.I)


def row_like(text: str) -> bool:
    """A table's row: two cells or more once a page-number cell is set aside ("Staffing<tab>
    120<tab>130"), or a label followed by two figures or more ("TOTAL £m 334.7 290.0")."""
    cells = [cell for cell in text.split("\t") if cell.strip() and not PAGE_CELL.fullmatch(cell)]
    if len(cells) >= 2:
        return True
    words = " ".join(cells).split()
    trailing = 0
    while trailing < len(words) and FIGURE.fullmatch(words[-1 - trailing]):
        trailing += 1
    return trailing >= 2 and bool(WORD.search(" ".join(words[: len(words) - trailing])))


def furniture_removed(corpus: Path, only: str | None = None):
    """{doc_id: Counter((reason, line) -> times removed)}, files read, pages, failures, seconds."""
    removed: dict[str, Counter] = {}
    files = pages = 0
    failed: list[str] = []
    start = time.perf_counter()
    for source in discover([corpus]):
        if source.path.suffix.lower() != ".pdf" or (only and only not in source.doc_id):
            continue
        files += 1
        try:
            raw = read_file(source.path, source.path.read_bytes())
        except UnreadableFile as exc:
            failed.append(f"{source.doc_id}: {exc.reason}")
            continue
        pages += len(raw.pages)
        cleaned = clean_pages(raw.pages, raw.paged)
        removed[source.doc_id] = Counter(
            (reason, text) for _, reason, text in cleaned.removed_lines if reason in FURNITURE)
    return removed, files, pages, failed, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", help="only documents whose id contains this")
    parser.add_argument("--rows-only", action="store_true", help="list only row-like lines")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    removed, files, pages, failed, seconds = furniture_removed(args.corpus, args.only)
    totals: Counter = Counter()
    for doc_id, lines in removed.items():
        shown = [(key, n) for key, n in sorted(lines.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
                 if not args.rows_only or row_like(key[1])]
        for (reason, text), n in lines.items():
            totals[reason] += n
            totals["distinct"] += 1
            if row_like(text):
                totals["row-like"] += n
                totals["row-like distinct"] += 1
        if shown:
            print(f"== {doc_id}")
            for (reason, text), n in shown:
                mark = "row" if row_like(text) else "   "
                print(f"  {n:4d} {mark} {reason:14s} {text!r}")
    by_doc = defaultdict(int)
    for doc_id, lines in removed.items():
        by_doc[doc_id] = sum(n for (_, text), n in lines.items() if row_like(text))
    print()
    print(f"{files} PDFs, {pages} pages, {len(failed)} unreadable, {seconds:.1f} s")
    for line in failed:
        print(f"  unreadable: {line}")
    print(f"lines removed as furniture: {totals['running header'] + totals['page number']} "
          f"(running headers/footers {totals['running header']}, page numbers {totals['page number']}; "
          f"{totals['distinct']} distinct lines per document)")
    print(f"row-like lines among them: {totals['row-like']} ({totals['row-like distinct']} distinct lines per document, "
          f"in {sum(1 for n in by_doc.values() if n)} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
