"""Rule "a table's lines say something too" (ingest/chunking.py): the lines of a table that head
no row of it are in every row's context, which is never quoted; when they say something, they are
a passage of their own as well, so what they say can be cited. Made-up papers."""

from councilqa.ingest.chunking import chunk_document
from councilqa.ingest.clean import clean_pages


def passages(*lines: str) -> list:
    doc = clean_pages(["\n".join(lines)], paged=False)
    return chunk_document(doc, "paper.txt", "p")


def test_a_front_sheet_line_read_as_a_tables_header_is_a_passage_to_quote():
    chunks = passages(
        "AGENDA", "", "LICENSING COMMITTEE", "",
        "Tuesday, 14th October, 2031, at 2.00 pm\t\tAsk for:\tPriya Shah",
        "Town Hall, Committee Room 2\tTelephone:\t01234 567890",
        "Eastwick\t\tEmail: priya.shah@example.gov.uk", "",
        "1. Apologies", "", "2. Minutes of the meeting held on 9 September 2031")
    quoted = [c for c in chunks if "Ask for:" in c.text]
    assert quoted and quoted[0].kind == "text"
    assert "2.00 pm" in quoted[0].text and "Priya Shah" in quoted[0].text


def test_an_option_read_as_the_header_of_a_table_of_options_is_a_passage():
    chunks = passages(
        "B\tThe panel may respond to the minister with representations of its own.\tThe panel knows the case best.",
        "Mitigation of the risk of\t",
        "two councils\tsubmitting",
        "different views.\t")
    assert any(c.kind == "text" and "The panel may respond to the minister" in c.text for c in chunks)


def test_a_line_of_column_names_is_not_a_passage_of_its_own():
    chunks = passages(
        "What the service offers\tLed by\tTimescale\tMeasure\tShared outcome",
        "Open two more family hubs\tHead of Service\t2032\tHubs open\tSO1",
        "Train every team in the new model\tPractice Lead\t2033\tStaff trained\tSO2")
    assert [c.kind for c in chunks] == ["table_row", "table_row"]
    assert all("Columns: What the service offers | Led by" in c.context for c in chunks)
