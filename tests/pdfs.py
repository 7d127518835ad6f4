"""PDFs made in the test itself with reportlab: real files with known text on known pages, and
the broken kinds councils publish by accident (corrupt, encrypted, empty, scanned)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
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


def draw_rows(c: canvas.Canvas, rows: list, xs: list[float], y: float, pitch: float = 18) -> float:
    """Rows of cells drawn from height `y` down, each cell at its column's x; the height below
    the last row."""
    for row in rows:
        for x, cell in zip(xs, row):
            c.drawString(x, y, cell)
        y -= pitch
    return y


def table_pdf(path: Path, caption: str, header: list[str], rows: list[list[str]]) -> Path:
    """A page with a caption and a grid table, cells placed in columns as a report would."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(50, 800, caption)
    draw_rows(c, [header] + rows, [50, 260, 340, 420, 500], 770)
    c.showPage()
    c.save()
    return path


def budget_sheet_pdf(path: Path) -> Path:
    """A budget sheet in two bands, as Kent prints them: in the first, each row's category and
    cabinet member are set as one run of words under one heading; in the second, a wider space
    parts them, so a PDF reader cuts the band into one column more than the header has."""
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica", 8)
    y = 540
    for x, name in [(40, "Category and Cabinet Member"), (230, "Description"), (480, "2025-26 £000's"),
                    (560, "2026-27 £000's"), (640, "Service Area")]:
        c.drawString(x, y, name)
    bands = [
        [("Prices Dan Watkins", "Increase in provider contracts", "1,746.5", "0.0", "Public Health"),
         ("Prices Dan Watkins", "Other inflationary increases", "197.9", "0.0", "Public Health"),
         ("Pay Sue Chandler", "Pay award for social workers", "626.9", "0.0", "Children's Social Care")],
        [("Demand", "Dan Watkins", "Increased demand for sexual health services", "27.3", "0.0", "Public Health"),
         ("Demand", "Rory Love", "Home to school transport", "5,300.0", "-15.6", "Transport"),
         ("Demand", "Rory Love", "Special educational needs transport", "4,100.0", "2.0", "Transport")],
    ]
    for band in bands:
        y -= 14
        for *labels, description, this_year, next_year, area in band:
            for x, label in zip([40, 140], labels):
                c.drawString(x, y, label)
            c.drawString(230, y, description)
            c.drawRightString(520, y, this_year)
            c.drawRightString(600, y, next_year)
            c.drawString(640, y, area)
            y -= 14
        y -= 30  # the gap between the bands
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


BUDGET_BOOK_SERVICES = [
    "Highways & Transportation", "Libraries, Registration & Archives", "Waste Management",
    "Adult Social Care", "Children's Social Work", "Public Health", "Trading Standards",
    "Country Parks", "Community Safety", "Home to School Transport", "Planning Applications",
    "Coroners",
]


def budget_book_rows(page: int) -> list[tuple[str, str, str]]:
    """The rows that end page `page` (1-based) of budget_book_pdf: label, 2024-25, 2025-26
    (£000), different on every page."""
    return [
        ("Staffing", f"{1000 + 137 * page:,}.{page % 10}", f"{1100 + 151 * page:,}.{(page + 3) % 10}"),
        ("Gross expenditure", f"{24000 + 1931 * page:,}.{(page + 1) % 10}", f"{25000 + 2017 * page:,}.{(page + 5) % 10}"),
        ("Income", f"-{3000 + 211 * page:,}.{(page + 2) % 10}", f"-{3100 + 223 * page:,}.{(page + 7) % 10}"),
    ]


def budget_book_pdf(path: Path, services: list[str] = BUDGET_BOOK_SERVICES) -> Path:
    """A budget book as councils print them, one service a page: a running header ("Budget Book
    2025/26"), the service's name and a paragraph, and at the foot of the page its table, whose
    rows are the same on every page ("Staffing", "Gross expenditure", "Income") with different
    figures (budget_book_rows), above a footer "Page N of M"."""
    c = canvas.Canvas(str(path), pagesize=A4)
    total = len(services)
    for page, service in enumerate(services, start=1):
        c.setFont("Helvetica", 9)
        c.drawString(60, 800, "Budget Book 2025/26")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(60, 760, service)
        c.setFont("Helvetica", 10)
        c.drawString(60, 730, f"This page sets out the revenue budget for {service.lower()} in 2025-26,")
        c.drawString(60, 716, "with the budget of the year before for comparison. Figures are in thousands of pounds.")
        c.drawString(300, 200, "2024-25 £000")
        c.drawString(420, 200, "2025-26 £000")
        y = 182
        for label, before, after in budget_book_rows(page):
            c.drawString(60, y, label)
            c.drawRightString(360, y, before)
            c.drawRightString(480, y, after)
            y -= 18
        c.setFont("Helvetica", 9)
        c.drawCentredString(297, 60, f"Page {page} of {total}")
        c.showPage()
    c.save()
    return path
