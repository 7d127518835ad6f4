"""How questions and passages are cut into words for BM25 and for the answerer's coverage.
Rule "contractions are their words" (index/sparse.py): a question typed with "what's" asks
what the same question with "what is" asks."""

from __future__ import annotations

from councilqa.index.sparse import tokenize
from councilqa.qa.parts import Part
from councilqa.qa.question import analyse


def test_a_contracted_question_word_is_the_question_word():
    assert tokenize("what's the target for fostering") == tokenize("what is the target for fostering")
    assert tokenize("who's chairing the panel") == tokenize("who is chairing the panel")
    assert tokenize("how's the library doing") == tokenize("how is the library doing")


def test_possessives_and_negatives_keep_their_word():
    assert "council" in tokenize("the council's reserves")
    assert "isn't" in tokenize("the scheme isn't funded")  # the "not" is what is asked about


def test_a_contracted_second_part_asks_what_the_full_one_asks():
    typed = Part("How many libraries opened on Sundays in May, and what's the target?")
    written = Part("How many libraries opened on Sundays in May, and what is the target?")
    assert typed.terms == written.terms == [] and typed.target and written.target
    assert analyse("what's the parking charge at the leisure centre?").terms == \
        analyse("what is the parking charge at the leisure centre?").terms
