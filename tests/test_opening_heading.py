"""Rule "a paper's title is its opening heading" (ingest/metadata.py, opening_heading): a paper
downloaded under a name that says nothing is titled by the heading it opens with, so that its
citations and search results say what it is. Made-up papers only."""

from __future__ import annotations

from test_rules import answerer_over

from councilqa.ingest.metadata import infer_metadata, opening_heading

OPAQUE = "downloads/s41877.pdf"  # how many council sites name their files


def title(text: str, relpath: str = OPAQUE, hint: str | None = None) -> str:
    return infer_metadata(relpath, text, hint, {})["title"]


def test_a_paper_named_by_a_number_is_titled_by_its_opening_heading():
    text = "Review of Fostering Allowances\n\nReport of the Director of Children's Services\n\n1. Summary\n"
    assert title(text) == "Review of Fostering Allowances"
    assert title(text, hint="Microsoft Word - template.docx") == "Review of Fostering Allowances"


def test_a_councils_name_or_a_packs_stamp_is_passed_over_for_the_heading_below_it():
    assert title("Northshire District Council\n\nHousing Strategy 2031 to 2036\n\nForeword\n") == \
        "Housing Strategy 2031 to 2036"
    assert title("Public Document Pack\n\nLicensing Sub-Committee Agenda\n\nMonday, 3 May 2032\n") == \
        "Licensing Sub-Committee Agenda"
    assert title("London Borough of Eastwick\n\nAppendix B: Proposed Parking Charges\n\n") == \
        "Appendix B: Proposed Parking Charges"


def test_a_letter_a_table_or_a_paragraph_is_no_title_and_the_file_name_stays():
    letter = "Ms R Okafor\nChief Executive\n14 Mill Lane\nNorthtown NT4 2QB\n\n3 May 2032\n\nDear Ms Okafor,\n"
    table = "Scheme\tCost\tYear\nRoof repairs\t£2.1m\t2032-33\n"
    paragraph = ("The committee is asked to note the progress made on the refurbishment of the three leisure "
                 "centres since its last meeting and to agree the next steps set out in this report.\n\nMore\n")
    for text in (letter, table, paragraph, "Item 5\n\n", ""):
        assert opening_heading(text) is None, text
        assert title(text) == "S41877"


def test_a_file_name_or_subject_line_that_says_what_the_paper_is_still_wins():
    text = "Northshire County Council\n\nSomething Else Entirely Here\n\n"
    assert title(text, "papers/Annual Parking Services Report.pdf") == "Annual Parking Services Report"
    assert title("Subject:\tSchool Transport Policy 2032\n\nBody\n") == "School Transport Policy 2032"


def test_an_answer_cites_the_paper_by_its_heading(tmp_path, settings):
    """Through the real ingest: a text file named by a number is cited by its heading."""
    answerer = answerer_over(tmp_path, settings, {
        "2032-05-03-cabinet/s50112.txt": "Northshire County Council\n\nReview of Fostering Allowances\n\n"
                                         "1. The weekly allowance for a foster carer rose to £312 in April 2032.\n",
    })
    answer = answerer.answer("What is the weekly allowance for a foster carer?")
    assert not answer.abstained and "£312" in answer.answer
    assert answer.citations[0].title == "Review of Fostering Allowances"
