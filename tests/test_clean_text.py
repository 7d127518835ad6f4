"""Cleaning a line of text (ingest/clean.py clean_inline), on made-up lines."""

from __future__ import annotations

from councilqa.ingest.clean import clean_inline


def test_a_superscript_ordinal_set_apart_rejoins_its_number():
    """Rule "a superscript ordinal rejoins its number": a PDF's superscript "th" comes out of its
    text layer as a word of its own ("published on 6 th January"), which no date pattern and no
    reader expects; before a month it is joined again."""
    assert clean_inline("The plan was published on 6 th January 2025.")[0] == "The plan was published on 6th January 2025."
    assert clean_inline("Meetings on the 1 st of March and 22 nd April")[0] == "Meetings on the 1st of March and 22nd April"
    assert clean_inline("Cabinet\t13 th Feb 2025")[0] == "Cabinet\t13th Feb 2025"
    assert clean_inline("The draft was published on 6 th")[0] == "The draft was published on 6th"  # "January" wraps
    # not before a month: left as printed
    assert clean_inline("Rank 5 th in the league")[0] == "Rank 5 th in the league"
