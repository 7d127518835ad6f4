"""A sentence copied from a paper and pasted into search finds its passage, on its page, first:
officers do this to check a figure. Ordinary questions are not ranked any differently."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT, needs_kent
from councilqa.eval.sets import BY_NAME, KENT
from councilqa.index import search as search_module
from councilqa.index.search import PASTED_WORDS, Searcher, cut_run, words
from councilqa.ingest.pipeline import ingest
from pdfs import text_pdf

BAR = 0.95


def _benchmark():
    """benchmarks/copy_paste_search.py, whose check the Kent test shares."""
    name = "copy_paste_search_benchmark"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "copy_paste_search.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# Made-up minutes: three votes in nearly the same words and figures, and a sentence cut by a
# page break. The other two votes are shorter and hold all but one of the pasted one's words and
# figures (in another order), so hybrid search alone ranks the pasted vote's page last.
PASTED = ("Following the debate the Chairman put the motion set out in paragraph 6 to the vote "
          "and the voting was as follows: For (33) Against (12) Abstain (5)")
CUT = ("The Council resolved to ask the Cabinet Member for Highways to report on the pothole "
       "repair programme, which had repaired 12,400 potholes across the county since April 2024")
# Printed with a superscript "th", which the PDF's text layer sets apart as a word.
ORDINAL = "The Deal pier kiosk reopened on 14 th August after repairs costing 52,000 pounds."
PAGES = [
    ["Minutes of the County Council", "",
     "The Chairman put the motion in paragraph 6 to the vote following the debate, and",
     "the voting was as follows: For (5) Against (12) Abstain (33). Motion set out."],
    ["Libraries", "",
     "Mr Hood proposed and Mrs Dean seconded the motion on library opening hours. Members",
     "discussed the opening hours of Sandwich, Deal and Dover libraries at length, and the",
     "cost of Saturday staffing, which officers put at 84,000 pounds a year.",
     PASTED + ".", "The Chairman thanked Members for the debate on library opening hours."],
    ["Highways", "",
     "Following the debate on paragraph 6, the Chairman put the motion to the vote and the",
     "voting was as follows: For (33) Against (5) Abstain (12). The motion set out was carried.",
     "The Council resolved to ask the Cabinet Member for Highways to report on the pothole",
     "repair programme, which had repaired 12,400 potholes across the county since April"],
    ["2024, and to publish the results for each district by the end of the year.", "",
     "Heritage", "", "The Council noted the reopening of the Sandwich Guildhall museum in June.",
     ORDINAL],
]


@pytest.fixture(scope="module")
def minutes(tmp_path_factory, settings) -> Searcher:
    root = tmp_path_factory.mktemp("pasted")
    meeting = root / "papers" / "2024-07-18-county-council"
    meeting.mkdir(parents=True)
    text_pdf(meeting / "minutes.pdf", PAGES, title="County Council minutes")
    report = ingest([root / "papers"], root / "index", settings, progress=False)
    assert report.added == 1, report.summary()
    return Searcher(root / "index", settings)


def _normal(text: str) -> str:
    return " ".join(words(text))


def test_a_pasted_sentence_finds_its_passage_first_among_passages_sharing_most_of_its_words(minutes):
    holding = [c for c in minutes.index.chunks() if PASTED in " ".join(c.text.split())]
    assert len(holding) == 1 and holding[0].page == 2
    others = [c for c in minutes.index.chunks() if c.page in (1, 3) and "voting" in c.text]
    assert len(others) == 2 and all(len(set(words(PASTED)) - set(words(c.text))) <= 1 for c in others)
    top = minutes.search(PASTED, k=5)[0]
    assert top.id == holding[0].id and top.page == 2
    # Pasted with other spacing, case and punctuation, it is still found first.
    assert minutes.search("  " + PASTED.upper().replace(": ", " : ") + ". ", k=5)[0].id == holding[0].id


def test_hybrid_search_alone_would_rank_it_below_the_others(minutes, monkeypatch):
    monkeypatch.setattr(Searcher, "_pasted_first", lambda self, query, ordered, allowed: (ordered, []))
    assert minutes.search(PASTED, k=5)[0].page != 2


def test_a_sentence_cut_by_a_page_break_finds_the_page_holding_most_of_it(minutes):
    top = minutes.search(CUT, k=5)[0]
    assert top.page == 3 and "12,400 potholes" in top.text


def test_ordinary_questions_rank_as_without_the_pasted_sentence_match(minutes, monkeypatch):
    questions = ["How did the council vote on the libraries motion?",
                 "How many potholes were repaired across the county and when will the results be published?",
                 "museum reopening", "Following the debate the Chairman put the motion to the vote"]
    ranked = {q: [p.id for p in minutes.search(q, k=10)] for q in questions}
    monkeypatch.setattr(Searcher, "_pasted_first", lambda self, query, ordered, allowed: (ordered, []))
    assert ranked == {q: [p.id for p in minutes.search(q, k=10)] for q in questions}


def test_a_short_pasted_fragment_with_figures_finds_the_passage_holding_it_first(minutes, monkeypatch):
    # Rule "a pasted figure is found where it is written": the three votes share every word, and
    # only the order of their figures tells them apart.
    fragments = {"Against (12) Abstain (5)": 2, "For (5) Against (12)": 1}
    assert {fragment: minutes.search(fragment, k=3)[0].page for fragment in fragments} == fragments
    monkeypatch.setattr(Searcher, "_short_paste", lambda self, query, asked, allowed: {})
    assert {fragment: minutes.search(fragment, k=3)[0].page for fragment in fragments} != fragments


def test_a_short_fragment_without_a_figure_asked_or_printed_everywhere_keeps_the_ordinary_order(minutes, monkeypatch):
    assert minutes.verbatim_runs("Against (12) Abstain (5)", [])  # held by one passage
    assert not minutes.verbatim_runs("Against (12) Abstain (5)?", [])  # a question
    assert not minutes.verbatim_runs("the Chairman put the motion", [])  # no figure: a keyword search
    assert len(minutes.verbatim_runs("(12)", [])) == 3
    monkeypatch.setattr(search_module, "SHORT_PASTE_PLACES", 2)
    assert not minutes.verbatim_runs("(12)", [])  # in more passages than it could point to


def test_a_pasted_sentence_with_a_superscript_ordinal_set_apart_finds_its_passage(minutes):
    """Rule "a superscript ordinal rejoins its number": the passage reads "14th August", and a
    sentence pasted from the PDF with "14 th August" is read the same way."""
    top = minutes.search(ORDINAL, k=5)[0]
    assert top.page == 4 and "reopened on 14th August" in " ".join(top.text.split())


def test_cut_run_counts_only_what_a_break_could_leave():
    query = words("the council agreed to fund the new library in Sandwich at a cost of two million")
    assert cut_run(query, words("minutes. The Council agreed to fund the new library in Sandwich at a cost of two million pounds.")) == len(query)
    assert cut_run(query, words("Item 4. The council agreed to fund the new library")) == 8  # starts the query, ends the passage
    assert cut_run(query, words("in Sandwich at a cost of two million. Item 5.")) == 8  # starts the passage, ends the query
    # The same words inside a passage with others on both sides are not a cut part of it.
    assert cut_run(query, words("Item 4. The council agreed to fund the new library in the town centre.")) == 0
    assert len(words("How did the council vote on libraries?")) < PASTED_WORDS


@needs_kent
@pytest.mark.kent
def test_evidence_quotes_pasted_into_search_come_first_on_their_page(kent_index, settings):
    bench = _benchmark()
    searcher = Searcher(kent_index, settings)
    from councilqa.eval.harness import document_aliases

    sets = [BY_NAME["kent"].questions, BY_NAME["kent-new"].questions]
    checks = bench.check_quotes(searcher, bench.evidence_quotes(sets), document_aliases(searcher, KENT))
    missed = [f"{c.quote[:60]!r} at {c.places[0]} (right passage at rank {c.rank})" for c in checks if not c.ok]
    assert len(checks) > 150
    assert bench.share(checks) >= BAR, f"{bench.share(checks):.1%} found first; missed:\n" + "\n".join(missed)
