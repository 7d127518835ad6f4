"""Rule "a period with a word or two names a column" (ingest/tables.py, PERIOD): a header of
years with words such as "actual", "forecast" or "budget" heads the rows below it, so each value
keeps its year. Made-up tables."""

from conftest import table_readings as readings


def test_years_with_actual_forecast_and_budget_head_their_columns():
    assert readings("\t2022/23 actual\t2023/24 forecast\t2024/25 budget",
                    "Income from car parks £m\t3.1\t3.4\t3.6",
                    "Share of net revenue (%)\t0.41\t0.44\t0.45") == [
        "Income from car parks £m. 2022/23 actual: 3.1; 2023/24 forecast: 3.4; 2024/25 budget: 3.6",
        "Share of net revenue (%). 2022/23 actual: 0.41; 2023/24 forecast: 0.44; 2024/25 budget: 0.45"]
    assert readings("Measure\tQ2 2024/25 outturn\tQ3 2024/25 revised plan",
                    "Homes improved\t120\t135") == ["Homes improved. Q2 2024/25 outturn: 120; Q3 2024/25 revised plan: 135"]


def test_a_period_followed_by_a_figure_is_still_data():
    # a row whose first cell past the label reads "2023/24 12" is a row of values, not a header
    assert readings("Scheme\tYear and cost\tCost next year", "Library roof\t2023/24 12\t14") == [
        "Library roof. Year and cost: 2023/24 12; Cost next year: 14"]
