"""Ingest behaviour a user notices: right pages, tables with headers, re-runs that do nothing,
bad files reported by name while the good ones are indexed."""

from __future__ import annotations

import shutil

import pytest

from councilqa.index.search import Searcher
from councilqa.index.store import load_index
from councilqa.ingest.pipeline import ingest
from pdfs import corrupt_pdf, encrypted_pdf, scanned_pdf, table_pdf, text_pdf


def test_pdf_passages_keep_their_page_numbers(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    text_pdf(papers / "report.pdf", [
        ["Cabinet report", "1. Introduction", "This report sets out the library opening hours review."],
        ["2. Consultation", "The consultation received 4,812 responses from residents of Dover."],
        ["3. Recommendation", "Cabinet is asked to agree that Sandwich library opens on Saturdays."],
    ])
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert report.added == 1 and report.pages == 3
    searcher = Searcher(tmp_path / "index", settings)
    top = searcher.search("how many consultation responses were received", k=3)[0]
    assert "4,812 responses" in top.text and top.page == 2
    top = searcher.search("Sandwich library Saturday opening", k=3)[0]
    assert "Sandwich library" in top.text and top.page == 3


def test_pdf_table_row_keeps_its_column_headers(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    table_pdf(papers / "kpis.pdf", "Table 2: Children's social care indicators",
              ["Indicator", "Baseline", "Target 2024", "Target 2025", "Actual"],
              [["Rate of section 47 investigations per 10,000", "478", "400", "350", "422"],
               ["Children in care, rate per 10,000", "184", "180", "175", "186"]])
    ingest([papers], tmp_path / "index", settings, progress=False)
    searcher = Searcher(tmp_path / "index", settings)
    rows = [c for c in searcher.index.chunks() if c.kind == "table_row"]
    row = next(c for c in rows if "section 47" in c.text)
    assert "Target 2024: 400" in row.reading and "Actual: 422" in row.reading
    assert row.page == 1


def test_a_row_of_units_under_the_years_keeps_the_years_over_every_value(tmp_path, settings):
    """Rule "a row of units ends its header": a capital summary's header is three lines, the
    years, "Year 1 ...", then "£000s" over every column; each value keeps its year."""
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "capital-summary.txt").write_text(
        "CAPITAL PROGRAMME SUMMARY 2026-27 TO 2029-30\n\n"
        "Ref\tFunding source\tTotal Cost\t\t2026-27\t2027-28\t2028-29\n"
        "\t\t\t\tYear 1\tYear 2\tYear 3\n"
        "\t\t£000s\t£000s\t£000s\t£000s\t£000s\n"
        "1\tBorrowing\t52,400\t8,100\t12,750\t9,300\t6,050\n"
        "2\tSection 106 contributions\t18,220\t2,410\t3,985\t5,140\t2,700\n"
        "3\tGovernment grants\t96,310\t21,900\t30,115\t18,640\t11,020\n\n"
        "The programme is reviewed each quarter.\n")
    ingest([papers], tmp_path / "index", settings, progress=False)
    rows = [c for c in Searcher(tmp_path / "index", settings).index.chunks() if c.kind == "table_row"]
    row = next(c for c in rows if "Section 106" in c.text)
    assert "2027-28 / Year 2 / £000s: 5,140" in row.reading, row.reading
    assert "Total Cost / £000s: 18,220" in row.reading, row.reading
    # the column headed by a unit alone is not given the name of the column beside it
    assert "£000s: 2,410" in row.reading and "Total Cost / £000s: 2,410" not in row.reading, row.reading


def test_header_lines_read_out_of_line_put_no_year_over_another_column():
    """The years were read into one column fewer than the units below them: joined, each year
    would stand over the column to its left, so the values keep their unit alone."""
    from conftest import table_chunks

    lines = ["Ref\tScheme\tDescription\tTotal Cost\tPrior Years Spend\t2026-27\t2027-28\t2028-29\t2029-30",
             "\t\t\t\t\t\tYear 1\tYear 2\tYear 3\tYear 4",
             "\t\t\t£000s\t\t£000s\t£000s\t£000s\t£000s\t£000s",
             "7\tHarbour wall\tRepairs to the harbour wall\t\t9,870\t1,240\t4,300\t4,330\t0\t0"]
    reading = table_chunks(*lines)[-1].reading
    assert "£000s: 4,300" in reading and not any(year in reading for year in ("2026-27", "2027-28", "2028-29")), reading


def test_text_table_row_passage_carries_headers(demo_searcher):
    hits = demo_searcher.search("rate of section 47 investigations target March 2024", k=5)
    row = next(p for p in hits if p.kind == "table_row" and "section 47 investigations per 10,000" in p.text)
    assert "Target March 2024: 400/10,000" in row.reading
    assert "Baseline April 2023: 478/10,000" in row.reading
    # The quotable text is the row exactly as it stands in the cleaned document.
    text = demo_searcher.index.document_text(row.document)
    assert text[row.start:row.end] == row.text


def test_passages_are_exact_slices_of_the_cleaned_text(demo_searcher):
    index = demo_searcher.index
    texts = {doc_id: index.document_text(doc_id) for doc_id in index.documents}
    for chunk in index.chunks():
        assert texts[chunk.document_id][chunk.start:chunk.end] == chunk.text


def test_markup_and_boilerplate_are_cleaned(demo_searcher):
    text = demo_searcher.index.document_text("2024-01-25-cyp-scrutiny-agenda-pack.txt")
    assert "This page is intentionally left blank" not in text
    assert "<i>" not in text and "**" not in text
    assert "in foster care\t66%\t66% Actual 68%" in text  # the row's italics gone, its tabs kept


def test_sections_follow_agenda_items_and_numbered_sections(demo_searcher):
    hit = next(p for p in demo_searcher.search("Blenheim Child Development Centre waiting list consultant", k=10)
               if "Blenheim" in (p.section or ""))
    assert "HEALTH WAITING TIMES AND ACCESS TO SERVICES" in hit.section
    assert "7.2 Blenheim Child Development Centre (CDC)" in hit.section


def test_metadata_read_from_content_and_names(demo_searcher):
    docs = demo_searcher.index.documents
    pack = docs["2024-01-25-cyp-scrutiny-agenda-pack.txt"]
    assert pack.meeting_date == "2024-01-25" and pack.doc_type == "agenda"
    assert "Scrutiny Committee" in pack.committee
    report = docs["2024-03-27-cyp-scrutiny-blackpool-families-rock-report.txt"]
    assert report.meeting_date == "2024-03-27" and report.doc_type == "report"
    assert docs["2024-03-27-cyp-scrutiny-minutes.txt"].doc_type == "minutes"


def test_sidecar_overrides_metadata(copy_demo, tmp_path, settings):
    (copy_demo / "cabinet-member-report-childrens-services.txt.meta.json").write_text(
        '{"committee": "Full Council", "meeting_date": "2024-02-28", "title": "Cabinet Member report"}')
    ingest([copy_demo], tmp_path / "index", settings, progress=False)
    data, *_ = load_index(tmp_path / "index")
    doc = data.documents["cabinet-member-report-childrens-services.txt"]
    assert (doc.committee, doc.meeting_date, doc.title) == ("Full Council", "2024-02-28", "Cabinet Member report")


def test_reingesting_unchanged_files_does_nothing(copy_demo, tmp_path, settings):
    index_dir = tmp_path / "index"
    first = ingest([copy_demo], index_dir, settings, progress=False)
    generation = (index_dir / "CURRENT").read_text()
    second = ingest([copy_demo], index_dir, settings, progress=False)
    assert second.unchanged == first.added == 4
    assert second.added == second.updated == second.embedded == 0
    assert not second.index_written
    assert (index_dir / "CURRENT").read_text() == generation


def test_changed_file_replaces_only_its_own_passages(copy_demo, tmp_path, settings):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, settings, progress=False)
    before, *_ = load_index(index_dir)
    target = copy_demo / "2024-03-27-cyp-scrutiny-minutes.txt"
    target.write_text(target.read_text() + "\n\nThe Committee agreed that the zebra crossing review be deferred.\n")
    report = ingest([copy_demo], index_dir, settings, progress=False)
    after, *_ = load_index(index_dir)
    assert report.updated == 1 and report.unchanged == 3
    # Only the changed passages are embedded again.
    assert 0 < report.embedded <= 3
    others = lambda data: sorted(c.text for c in data.chunks if c.document_id != target.name)
    assert others(before) == others(after)
    assert any("zebra crossing" in c.text for c in after.chunks if c.document_id == target.name)


def test_same_file_published_twice_is_recorded_once_with_both_locations(copy_demo, tmp_path, settings):
    pack = copy_demo / "public-pack"
    pack.mkdir()
    shutil.copy(copy_demo / "2024-03-27-cyp-scrutiny-minutes.txt", pack / "minutes-copy.txt")
    report = ingest([copy_demo], tmp_path / "index", settings, progress=False)
    assert report.duplicates == 1 and report.added == 4
    data, *_ = load_index(tmp_path / "index")
    doc = data.documents["2024-03-27-cyp-scrutiny-minutes.txt"]
    assert len(doc.locations) == 2 and any(loc.endswith("minutes-copy.txt") for loc in doc.locations)
    assert not any(c.document_id == "public-pack/minutes-copy.txt" for c in data.chunks)


def test_bad_pdfs_are_reported_by_name_and_the_rest_is_indexed(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    text_pdf(papers / "good.pdf", [["The Cabinet agreed the highways asset management plan."]])
    corrupt_pdf(papers / "corrupt.pdf")
    encrypted_pdf(papers / "encrypted.pdf")
    (papers / "empty.pdf").write_bytes(b"")
    scanned_pdf(papers / "scanned.pdf")
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    reasons = {f.path.rsplit("/", 1)[-1]: f.reason for f in report.failed}
    assert set(reasons) == {"corrupt.pdf", "encrypted.pdf", "empty.pdf", "scanned.pdf"}
    assert "corrupt" in reasons["corrupt.pdf"]
    assert "encrypted" in reasons["encrypted.pdf"]
    assert "empty" in reasons["empty.pdf"]
    assert "no text layer" in reasons["scanned.pdf"]
    data, *_ = load_index(tmp_path / "index")
    assert list(data.documents) == ["good.pdf"]
    # The failures are kept in the index so the documents page can list them.
    assert {f.path.rsplit("/", 1)[-1] for f in data.failures} == set(reasons)


def test_bad_file_does_not_disturb_an_existing_index(copy_demo, tmp_path, settings):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, settings, progress=False)
    corrupt_pdf(copy_demo / "broken.pdf")
    report = ingest([copy_demo], index_dir, settings, progress=False)
    assert [f.path.rsplit("/", 1)[-1] for f in report.failed] == ["broken.pdf"]
    searcher = Searcher(index_dir, settings)
    assert len(searcher.index.documents) == 4
    assert searcher.search("Young Inspectors", k=1)


def test_html_and_markdown_pages_are_ingested(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "agenda-item.html").write_text(
        "<html><head><title>Agenda item - Blackpool Council</title><script>var x = 1;</script></head>"
        "<body><nav class='breadcrumb'>Home &gt; Council and Democracy</nav><h1>Agenda item</h1>"
        "<h2>SCHOOL STREETS PILOT</h2><p>Date of Meeting: 12 June 2024</p>"
        "<p>The Committee agreed to extend the school streets pilot to <strong>six</strong> schools.</p>"
        "<table><tr><th>School</th><th>Cars per hour before</th><th>Cars per hour after</th></tr>"
        "<tr><td>Layton Primary</td><td>212</td><td>38</td></tr></table></body></html>")
    (papers / "notes.md").write_text("# Scrutiny notes\n\n## Parking\n\nResidents asked for **more** blue badge bays.\n")
    ingest([papers], tmp_path / "index", settings, progress=False)
    searcher = Searcher(tmp_path / "index", settings)
    html_doc = searcher.index.documents["agenda-item.html"]
    assert html_doc.format == "html" and html_doc.meeting_date == "2024-06-12"
    text = searcher.index.document_text("agenda-item.html")
    assert "var x" not in text and "Council and Democracy" not in text
    row = next(c for c in searcher.index.chunks() if c.kind == "table_row")
    assert "Cars per hour after: 38" in row.reading
    hit = searcher.search("blue badge bays", k=1)[0]
    assert hit.document == "notes.md" and "more blue badge bays" in hit.text and hit.section.endswith("Parking")
