"""The known-answer sets are only as good as their evidence: every quote must be on its stated
page, and a quote reprinted elsewhere in the corpus must be listed there too, or a correct
citation of the reprint would be scored as wrong."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import DEMO, DEV_SET, KENT, ROOT, needs_kent

sys.path.insert(0, str(ROOT / "eval"))
import check_evidence  # noqa: E402  (a script, run as such in the README; not part of the package)

KENT_SET = ROOT / "eval" / "kent.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_kent
def test_kent_set_quotes_are_on_their_pages_and_every_printing_is_listed():
    questions = load(KENT_SET)
    failures, _ = check_evidence.check(questions, KENT)
    assert not failures, failures
    assert check_evidence.unlisted_printings(questions, KENT) == []


def test_a_reprinted_quote_is_found_and_a_missing_quote_fails(tmp_path):
    (tmp_path / "march").mkdir()
    (tmp_path / "march" / "minutes.txt").write_text("RESOLVED that the **budget** of £2m be approved.", encoding="utf-8")
    (tmp_path / "april-pack.txt").write_text("Minutes of the previous meeting: RESOLVED that the budget of £2m be approved.",
                                             encoding="utf-8")
    question = {"id": "q1", "type": "decision", "answerable": True, "question": "What budget was approved?",
                "answers": [["£2m"]],
                "evidence": [{"document": "march/minutes.txt", "page": None, "quote": "the budget of £2m be approved"}]}
    assert check_evidence.check([question], tmp_path)[0] == []
    assert [(d, p) for _, d, p, _ in check_evidence.unlisted_printings([question], tmp_path)] == [("april-pack.txt", None)]

    question["evidence"][0]["quote"] = "the budget of £3m be approved"
    failures, _ = check_evidence.check([question], tmp_path)
    assert failures and "quote not in file" in failures[0]


def test_demo_corpus_is_the_one_the_dev_set_quotes():
    # The dev set is written against ../shared/corpus/blackpool; the shipped copy must hold the same text.
    if not DEV_SET.is_file():
        pytest.skip(f"development set not found at {DEV_SET}")
    failures, _ = check_evidence.check(load(DEV_SET), DEMO)
    assert not failures, failures
