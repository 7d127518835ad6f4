"""Rule "a name over an empty column heads the figures beside it" (ingest/tables.py
`names_beside_figures`): a year printed over a column of figures set flush right can end before
the figures start, and the reader then cuts them into two columns, the year's empty in every
row; the figures take the year. Made-up tables, read as ingest reads a PDF's tab-separated lines."""

from __future__ import annotations

from conftest import table_readings


def test_figures_cut_off_from_their_years_take_them():
    readings = table_readings(
        "Ref\tScheme\t2029-30\t\t2030-31\t",
        "\t\t£000s\t\t£000s\t",
        "1\tHarbour wall repairs\t\t120\t\t80",
        "2\tLibrary roof\t\t0\t\t45",
    )
    assert "2029-30 / £000s: 120" in readings[0]
    assert "2030-31 / £000s: 80" in readings[0]
    assert "2030-31 / £000s: 45" in readings[1]


def test_a_name_over_its_own_values_keeps_them():
    readings = table_readings(
        "Service\tBudget\tSpend\tVariance",
        "Libraries\t1,200\t1,150\t",
        "Parks\t800\t\t-20",
    )
    assert readings[0].endswith("Budget: 1,200; Spend: 1,150")
    assert readings[1].endswith("Budget: 800; Variance: -20")


def test_words_beside_an_empty_named_column_keep_no_name():
    # The column to the right holds words, not figures: a comment, not the named column's values.
    readings = table_readings(
        "Scheme\tRating\t\tCost",
        "Harbour wall\t\tOn hold pending survey\t120",
        "Library roof\t\tStarted\t45",
    )
    assert "Rating: On hold" not in readings[0]
    assert "Cost: 120" in readings[0]
