"""Benchmark (not a test): PDF text extraction speed of pypdf and PDFium on the Kent corpus.

    .venv/bin/python benchmarks/parse_engines.py [../shared/corpus/kent]

Prints pages, characters and seconds for each engine. This is why ingest/pdf.py reads with
PDFium and keeps pypdf only as a fallback."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pypdf
import pypdfium2

ROOT = Path(__file__).resolve().parent.parent


def pdfium_pages(path: Path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def pypdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "kent"
    files = sorted(corpus.rglob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs under {corpus}")
    for name, read in (("pdfium", pdfium_pages), ("pypdf", pypdf_pages)):
        start = time.perf_counter()
        pages = chars = 0
        for path in files:
            texts = read(path)
            pages += len(texts)
            chars += sum(len(t) for t in texts)
        seconds = time.perf_counter() - start
        print(f"{name:7s} {len(files)} files {pages} pages {chars} chars {seconds:6.1f} s  {pages / seconds:7.1f} pages/s")


if __name__ == "__main__":
    main()
