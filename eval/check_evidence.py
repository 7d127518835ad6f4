"""Check a known-answer question set (JSONL) against its corpus.

Usage:
    python eval/check_evidence.py eval/kent.jsonl --corpus ../shared/corpus/kent
    python eval/check_evidence.py ../shared/eval/blackpool-dev.jsonl --corpus ../shared/corpus/blackpool

For every question it checks that
  * the id is unique, the type is known and agrees with `answerable`;
  * answerable questions have at least one answer group and one evidence entry;
  * each evidence quote occurs (whitespace collapsed, case-sensitive) in the document:
      - PDFs: on the stated 1-based page, using pypdfium2 text; if that fails,
        pypdf's extract_text of the same page is tried and the match is reported as such;
      - text files: anywhere in the file, after removing markup such as ** and <i>;
  * every answer group has an alternative that occurs in the text of some evidence
    page (case-insensitive; a bare figure must stand alone). This is only a warning.

Exits 1 and lists the failures when any check fails, else 0.

With --printings it also lists every other page of the corpus where an evidence quote occurs
(a report reprinted in a later pack, a draft and its final version) and that the question does
not list yet: a citation of such a page is just as checkable, so the set should name it.
"""
import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

TYPES = {"decision", "target", "waiting", "figure", "date", "fact", "unanswerable"}
MARKUP = re.compile(r"\*\*|</?[A-Za-z][A-Za-z0-9]*>")


def collapse(text):
    """Normalise line endings and collapse runs of whitespace to one space."""
    return " ".join(text.replace("\r\n", "\n").split())


@lru_cache(maxsize=None)
def pdfium_pages(path):
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [collapse(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


@lru_cache(maxsize=None)
def pypdf_pages(path):
    from pypdf import PdfReader
    return [collapse(page.extract_text() or "") for page in PdfReader(str(path)).pages]


@lru_cache(maxsize=None)
def text_file(path):
    return collapse(MARKUP.sub("", Path(path).read_text(encoding="utf-8")))


def find_quote(corpus, ev):
    """Return (page_text, how) where the quote was found, or (None, reason)."""
    path = corpus / ev["document"]
    quote = collapse(ev.get("quote", ""))
    if not path.is_file():
        return None, "document not found"
    if not quote:
        return None, "empty quote"
    if path.suffix.lower() != ".pdf":
        text = text_file(path)
        return (text, "text") if quote in text else (None, "quote not in file")
    page = ev.get("page")
    if not isinstance(page, int):
        return None, "PDF evidence needs an integer page"
    for name, extract in (("pypdfium2", pdfium_pages), ("pypdf", pypdf_pages)):
        pages = extract(path)
        if not 1 <= page <= len(pages):
            return None, f"page {page} out of range (1-{len(pages)})"
        if quote in pages[page - 1]:
            return pages[page - 1], name
    return None, f"quote not on page {page}"


def answer_in(alternative, text):
    """Case-insensitive containment; a bare figure must not sit inside a longer number."""
    alt = collapse(alternative).lower()
    if re.fullmatch(r"[\d.,]+", alt):
        return re.search(r"(?<![\d.,])" + re.escape(alt) + r"(?![\d]|[.,]\d)", text.lower()) is not None
    return alt in text.lower()


def corpus_pages(corpus):
    """Every (document, page, text) of the corpus; page is None for text files."""
    for path in sorted(corpus.rglob("*")):
        if not path.is_file():
            continue
        document = path.relative_to(corpus).as_posix()
        if path.suffix.lower() == ".pdf":
            try:
                pages = pdfium_pages(path)
            except Exception as e:  # a broken file is the ingest's business, not the set's
                print(f"WARN {document}: unreadable: {e}")
                continue
            for n, text in enumerate(pages, 1):
                yield document, n, text
        elif path.suffix.lower() in {".txt", ".md", ".html", ".htm"}:
            yield document, None, text_file(path)


def unlisted_printings(questions, corpus):
    """(question id, document, page, quote) for each page holding an evidence quote it does not list."""
    pages = list(corpus_pages(corpus))
    found = []
    for q in questions:
        listed = {(ev["document"], ev.get("page")) for ev in q.get("evidence") or []}
        for quote in dict.fromkeys(collapse(ev.get("quote", "")) for ev in q.get("evidence") or []):
            for document, page, text in pages:
                if quote and quote in text and (document, page) not in listed:
                    found.append((q.get("id", "?"), document, page, quote))
    return found


def check(questions, corpus):
    failures, warnings, seen = [], [], set()
    for q in questions:
        qid = q.get("id", "?")
        if qid in seen:
            failures.append(f"{qid}: duplicate id")
        seen.add(qid)
        if q.get("type") not in TYPES:
            failures.append(f"{qid}: unknown type {q.get('type')!r}")
        if (q.get("type") == "unanswerable") != (q.get("answerable") is False):
            failures.append(f"{qid}: type 'unanswerable' must go with answerable=false")
        evidence, answers = q.get("evidence") or [], q.get("answers") or []
        if q.get("answerable") is not False:
            if not answers or not all(answers):
                failures.append(f"{qid}: answerable but answers missing or an answer group is empty")
            if not evidence:
                failures.append(f"{qid}: answerable but no evidence")
        texts = []
        for ev in evidence:
            text, how = find_quote(corpus, ev)
            where = f"{ev.get('document')} p{ev.get('page')}"
            if text is None:
                failures.append(f"{qid}: {where}: {how}: {ev.get('quote')!r}")
                continue
            if how == "pypdf":
                warnings.append(f"{qid}: {where}: quote found only with pypdf")
            texts.append(text)
        for group in answers:
            if texts and not any(answer_in(alt, t) for alt in group for t in texts):
                warnings.append(f"{qid}: no alternative of {group} on its evidence page(s)")
    return failures, warnings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, help="JSONL question set")
    parser.add_argument("--corpus", type=Path, required=True, help="folder the evidence paths are relative to")
    parser.add_argument("--printings", action="store_true",
                        help="also list other pages where an evidence quote occurs but is not listed")
    args = parser.parse_args(argv)
    questions = []
    for n, line in enumerate(args.questions.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                questions.append(json.loads(line))
            except json.JSONDecodeError as e:
                print(f"FAIL line {n}: invalid JSON: {e}")
                return 1
    failures, warnings = check(questions, args.corpus)
    for w in warnings:
        print("WARN", w)
    for f in failures:
        print("FAIL", f)
    if args.printings:
        for qid, document, page, quote in unlisted_printings(questions, args.corpus):
            print(f"ALSO {qid}: {document} p{page}: {quote!r}")
    n_ev = sum(len(q.get("evidence") or []) for q in questions)
    print(f"{len(questions)} questions, {n_ev} evidence quotes: "
          f"{len(failures)} failures, {len(warnings)} warnings")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
