"""How question sets are split and how CI bars are set from measurements: made-up metrics only."""

from __future__ import annotations

from councilqa.eval.bars import bar, bars_for
from councilqa.eval.harness import check_thresholds
from councilqa.eval.splits import HOLDOUT_SHARE, split_of


def _questions(n_per_type: dict[str, int]) -> list[dict]:
    return [{"id": f"{kind[0]}{i}", "type": kind} for kind, n in n_per_type.items() for i in range(n)]


def test_every_type_has_at_least_its_share_held_out_and_the_split_is_stable():
    questions = _questions({"decision": 10, "target": 7, "unanswerable": 3})
    split = split_of(questions)
    for kind in ("decision", "target", "unanswerable"):
        ids = [q["id"] for q in questions if q["type"] == kind]
        held = [i for i in ids if split[i] == "holdout"]
        assert HOLDOUT_SHARE * len(ids) <= len(held) < len(ids)
    assert split_of(list(reversed(questions))) == split  # order in the file does not matter
    # A question added later takes a side without moving any other question of its type.
    grown = split_of(questions + [{"id": "d99", "type": "decision"}])
    moved = [i for i in split if grown[i] != split[i]]
    assert len(moved) <= 1


def _measured(accuracy: float, false_abstention: float, unanswerable_rate: float) -> dict:
    return {"answerable": 20, "unanswerable": 4, "with_page": 10, "answer_accuracy": accuracy,
            "false_abstention": false_abstention, "abstention_unanswerable": unanswerable_rate,
            "ungrounded_answers": 0}


def test_a_bar_is_the_lower_precision_less_one_question():
    by_precision = {"float32": _measured(0.85, 0.05, 1.0), "bfloat16": _measured(0.9, 0.1, 0.75)}
    assert bar("answer_accuracy", by_precision)["bar"] == 0.8  # 0.85 - 1/20
    assert bar("false_abstention", by_precision)["bar"] == 0.15  # 0.1 + 1/20: lower is better
    assert bar("abstention_unanswerable", by_precision)["bar"] == 0.5  # 0.75 - 1/4
    assert bar("ungrounded_answers", by_precision)["bar"] == 0  # no margin for a made-up figure
    written = bar("answer_accuracy", by_precision)
    assert written["float32"] == 0.85 and written["bfloat16"] == 0.9  # the figures beside the bar


def test_a_run_one_question_worse_than_both_precisions_still_passes_and_two_worse_fails():
    measured = {"float32": {"splits": {"tune": _measured(0.85, 0.05, 1.0), "holdout": _measured(0.8, 0.1, 1.0)}},
                "bfloat16": {"splits": {"tune": _measured(0.9, 0.05, 1.0), "holdout": _measured(0.8, 0.05, 1.0)}}}
    bars = bars_for(measured)
    one_worse = {"splits": {"tune": _measured(0.8, 0.1, 1.0), "holdout": _measured(0.75, 0.15, 0.75)}}
    assert check_thresholds(one_worse, bars) == []
    two_worse = {"splits": {"tune": _measured(0.75, 0.1, 1.0), "holdout": _measured(0.8, 0.2, 1.0)}}
    failures = check_thresholds(two_worse, bars)
    assert len(failures) == 2 and failures[0].startswith("tune answer_accuracy = 0.75 (below the bar 0.8")
    assert "float32" in failures[0] and "bfloat16" in failures[0]


def test_bars_measured_apart_in_each_precision_merge_into_the_worse_of_the_two(tmp_path):
    import json

    from councilqa.eval.bars import merge

    measured = {"float32": {"splits": {"tune": _measured(0.85, 0.05, 1.0), "holdout": _measured(0.8, 0.1, 1.0)}},
                "bfloat16": {"splits": {"tune": _measured(0.9, 0.05, 1.0), "holdout": _measured(0.75, 0.05, 1.0)}}}
    files = []
    for precision, result in measured.items():
        files.append(tmp_path / f"{precision}.json")
        files[-1].write_text(json.dumps({"_comment": "", "kent": bars_for({precision: result})}))
    assert merge(files) == {"kent": bars_for(measured)}
