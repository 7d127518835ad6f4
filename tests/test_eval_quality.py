"""The known-answer evaluation as a CI gate: councilqa must stay at or above the bars kept in
eval/thresholds.json on every question set of eval/sets.py, on its tune and holdout splits and
on the reworded questions. The bars hold in float32 and in bfloat16 (eval/bars.py sets them from
both); the precision this run embedded in is printed and named in a failure. The reports and raw
responses are written to test-artifacts/eval/ for reading."""

from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, KENT, ROOT
from councilqa.eval.harness import check_thresholds, evaluate
from councilqa.eval.sets import SETS

THRESHOLDS = json.loads((ROOT / "eval" / "thresholds.json").read_text())


@pytest.mark.parametrize("qset", SETS, ids=[s.name for s in SETS])
def test_question_set_meets_its_bars(qset, request, settings):
    if not qset.available():
        pytest.skip(f"{qset.name}: {qset.questions} or its corpus {qset.corpus} not found")
    assert qset.name in THRESHOLDS, f"{qset.name} has no bars: run python -m councilqa.eval.bars --sets {qset.name}"
    index = request.getfixturevalue("kent_index" if qset.corpus == KENT else "demo_index")
    result = evaluate(qset.questions, index, corpus=qset.corpus, out_dir=ARTIFACTS / "eval", settings=settings,
                      paraphrases_path=qset.paraphrases)
    print(f"{qset.name}, embeddings in {result['precision']}:")
    print(json.dumps({**result["splits"], **result.get("paraphrases", {})}, indent=1))
    failures = check_thresholds(result, THRESHOLDS[qset.name])
    assert not failures, f"{qset.name} in {result['precision']}: " + "; ".join(failures)
