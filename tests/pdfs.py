"""PDFs made in the test itself with reportlab: real files with known text on known pages, and
the broken kinds councils publish by accident (corrupt, encrypted, empty, scanned)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def text_pdf(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    """One list of lines per page, written top-down."""
    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    for lines in pages:
        y = 800
        for line in lines:
            if line:
                c.drawString(60, y, line)
            y -= 16
        c.showPage()
    c.save()
    return path


def table_pdf(path: Path, caption: str, header: list[str], rows: list[list[str]]) -> Path:
    """A page with a caption and a grid table, cells placed in columns as a report would."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(50, 800, caption)
    xs = [50, 260, 340, 420, 500]
    y = 770
    for row in [header] + rows:
        for x, cell in zip(xs, row):
            c.drawString(x, y, cell)
        y -= 18
    c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    import pypdf

    source = io.BytesIO()
    c = canvas.Canvas(source, pagesize=A4)
    c.drawString(60, 800, "Confidential appendix: exempt information")
    c.showPage()
    c.save()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(source.getvalue())))
    writer.encrypt(user_password=password, owner_password=password)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def scanned_pdf(path: Path) -> Path:
    """Pages with only drawing on them: what a scan without OCR looks like to a text reader."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.rect(50, 400, 400, 300, fill=1)
        c.showPage()
    c.save()
    return path


def corrupt_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf body\n%%EOF")
    return path
