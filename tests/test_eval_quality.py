"""The known-answer evaluation as a CI gate: councilqa must stay at or above the bars kept in
eval/thresholds.json on the development set and on the project's Kent set. The reports and raw
responses are written to test-artifacts/eval/ for reading."""

from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, DEV_SET, KENT, ROOT, needs_kent
from councilqa.eval.harness import check_thresholds, evaluate

THRESHOLDS = json.loads((ROOT / "eval" / "thresholds.json").read_text())
KENT_SET = ROOT / "eval" / "kent.jsonl"


def _gate(result: dict, name: str) -> None:
    print(json.dumps(result["overall"]["councilqa"], indent=1))
    failures = check_thresholds(result, THRESHOLDS[name])
    assert not failures, f"{name}: " + "; ".join(failures)


@pytest.mark.skipif(not DEV_SET.exists(), reason="development set not found")
def test_development_set_meets_its_bars(demo_index, settings):
    result = evaluate(DEV_SET, demo_index, out_dir=ARTIFACTS / "eval", settings=settings)
    _gate(result, "blackpool-dev")


@needs_kent
def test_kent_set_meets_its_bars(kent_index, settings):
    result = evaluate(KENT_SET, kent_index, corpus=KENT, out_dir=ARTIFACTS / "eval", settings=settings)
    _gate(result, "kent")
