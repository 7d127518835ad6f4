"""Benchmark (not a test): do the passages ingestion makes hold the evidence for a question set?

    .venv/bin/python benchmarks/kent_passages.py [--corpus ../shared/corpus/kent]
        [--questions eval/kent.jsonl] [--show-failures] [--metadata] [--only SUBSTRING]

Runs the project's own parse -> clean -> metadata -> chunk (ingest.pipeline.parse_file: no
embedding, no index) over every file of the corpus, then for every evidence quote of the
answerable questions reports whether it lies wholly inside one passage of its document
(chunk.text or chunk.reading, whitespace collapsed) and whether that passage names the quote's
page. A quote split across passages cannot be cited whole, and a passage on the wrong page sends
the reader to the wrong page, so these two figures bound what the answerer can achieve.

Prints files, pages, passages (text / table_row) and seconds; the evidence figures; with
--show-failures each missed quote with the passages holding its first and last words; with
--metadata the title, committee, meeting date and document type of every file, and counts of
suspicious values (a committee named after a generic folder, no date, type "other").

Every file is parsed on its own, duplicates included, because the evidence names documents by
path and a duplicate's path must work as well as its original's."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

from councilqa.ingest.pipeline import discover, parse_file
from councilqa.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "kent"
DEFAULT_QUESTIONS = ROOT / "eval" / "kent.jsonl"
# Folder names that say how a file was fetched, not which body met (see ingest/metadata.py).
GENERIC = {"originals", "public packs", "public-packs", "papers", "documents"}


def collapse(text: str) -> str:
    return " ".join(text.split())


def parse_corpus(corpus: Path, only: str | None) -> tuple[dict, dict]:
    settings = get_settings()
    parsed, stats = {}, Counter()
    start = time.perf_counter()
    for source in discover([corpus]):
        if only and only not in source.doc_id:
            continue
        data = source.path.read_bytes()
        result = parse_file(source, data, hashlib.sha256(data).hexdigest(), settings)
        parsed[source.doc_id] = result
        stats["files"] += 1
        if result.error:
            stats["failed"] += 1
            continue
        stats["pages"] += result.document.pages or 0
        for chunk in result.chunks:
            stats[chunk.kind] += 1
    stats["seconds"] = round(time.perf_counter() - start, 1)
    return parsed, stats


def locate(quote: str, chunks: list) -> tuple[list, list]:
    """Chunks holding the whole quote, and (when none does) those holding its first and last
    five words, to show where it was cut."""
    whole = [c for c in chunks if quote in collapse(c.text) or (c.reading and quote in collapse(c.reading))]
    if whole:
        return whole, []
    words = quote.split()
    head, tail = " ".join(words[:5]), " ".join(words[-5:])
    parts = [c for c in chunks if head in collapse(c.text) or tail in collapse(c.text)]
    return [], parts


def evidence_report(parsed: dict, questions: list[dict], show: bool) -> dict:
    totals = Counter()
    for q in questions:
        if not q.get("answerable", True):
            continue
        totals["questions"] += 1
        q_whole = q_page = False
        q_all = True
        for ev in q.get("evidence", []):
            result = parsed.get(ev["document"])
            if result is None or result.error:
                totals["quotes missing document"] += 1
                continue
            quote = collapse(ev["quote"])
            whole, parts = locate(quote, result.chunks)
            totals["quotes"] += 1
            on_page = [c for c in whole if ev.get("page") is None or c.page == ev["page"]]
            totals["quotes in one passage"] += bool(whole)
            totals["quotes in one passage on its page"] += bool(on_page)
            q_whole |= bool(whole)
            q_page |= bool(on_page)
            q_all &= bool(on_page)
            if show and not on_page:
                why = "SPLIT" if not whole else f"WRONG PAGE {[c.page for c in whole]}"
                print(f"\n{q['id']} {why}: {ev['document']} p{ev.get('page')}\n  quote: {quote}")
                for c in (parts or whole)[:4]:
                    shown = collapse(c.reading or c.text)
                    print(f"  [{c.kind} p{c.page} §{(c.section or '')[:60]}] {shown[:400]}")
        totals["questions with a quote in one passage"] += q_whole
        totals["questions with a quote in one passage on its page"] += q_page
        totals["questions with every quote in one passage on its page"] += q_all
    return totals


def metadata_report(parsed: dict) -> Counter:
    flags = Counter()
    print("\ndocument | title | committee | date | type")
    for doc_id, result in parsed.items():
        if result.error:
            print(f"{doc_id} | FAILED: {result.error}")
            continue
        d = result.document
        print(f"{doc_id} | {d.title[:60]} | {d.committee} | {d.meeting_date} | {d.doc_type}")
        flags["committee generic or missing"] += not d.committee or d.committee.lower() in GENERIC
        flags["no date"] += d.meeting_date is None
        flags["type other"] += d.doc_type == "other"
    return flags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--metadata", action="store_true")
    parser.add_argument("--only", help="parse only files whose path contains this")
    args = parser.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    parsed, stats = parse_corpus(args.corpus, args.only)
    print(f"files {stats['files']} (failed {stats['failed']}), pages {stats['pages']}, passages "
          f"{stats['text'] + stats['table_row']} (text {stats['text']}, table_row {stats['table_row']}), "
          f"seconds {stats['seconds']}")
    totals = evidence_report(parsed, questions, args.show_failures)
    print()
    for key in ["questions", "questions with a quote in one passage", "questions with a quote in one passage on its page",
                "questions with every quote in one passage on its page",
                "quotes", "quotes in one passage", "quotes in one passage on its page", "quotes missing document"]:
        print(f"{key}: {totals[key]}")
    if args.metadata:
        flags = metadata_report(parsed)
        print("\n" + ", ".join(f"{k}: {v}" for k, v in flags.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
