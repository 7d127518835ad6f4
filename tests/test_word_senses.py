"""Rule "the thing counted, in other words" (qa/word_senses.py), with the bundled sentence model.
Made-up words and papers."""

import pytest


@pytest.fixture(scope="module")
def senses(settings):
    from councilqa.index.embedder import embedder_for
    from councilqa.qa.word_senses import WordSenses

    return WordSenses(embedder_for(settings).encode)


@pytest.mark.parametrize("asked, said", [
    ("babies", "Births in the county fell to 9,120 in 2024."),
    ("kids", "Forty children were placed with local foster carers."),
    ("staff", "The service has 212 employees."),
    ("homes", "The scheme built 85 houses last year."),
])
def test_the_thing_counted_is_named_in_other_words(senses, asked, said):
    assert senses.names(asked, said)


@pytest.mark.parametrize("asked, said", [
    ("councillors", "Twelve officers attended the training."),
    ("kids", "The service supported 310 adults."),
    ("buses", "Eight trains an hour stop at the station."),
    ("staff", "The school has 212 pupils."),
])
def test_another_thing_is_not_the_thing_counted(senses, asked, said):
    assert not senses.names(asked, said)


def test_asked_how_many_in_other_words_the_count_answers(tmp_path, settings):
    from councilqa.index.search import Searcher
    from councilqa.ingest.pipeline import ingest
    from councilqa.qa.answerer import Answerer

    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "2025-06-04-health-board-population-report.txt").write_text(
        "Population report\n\n"
        "1. Births\n\n"
        "Births in Exampleshire fell to 9,120 in 2024, from a peak of 11,480 in 2012.\n\n"
        "2. Schools\n\n"
        "The county has 312 primary schools and 58 secondary schools.\n", encoding="utf-8")
    (papers / "2025-06-04-health-board-leisure-report.txt").write_text(
        "Leisure report\n\nThe county's leisure centres had 1.2 million visits in 2024, and its libraries "
        "lent 2.4 million books.\n", encoding="utf-8")
    ingest([papers], tmp_path / "index", settings, progress=False)
    answer = Answerer(Searcher(tmp_path / "index", settings)).answer("How many babies did Exampleshire have in 2024?")
    assert not answer.abstained and "9,120" in answer.answer
