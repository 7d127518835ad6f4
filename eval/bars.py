"""Set the CI bars of eval/thresholds.json from measurements in the embedding precisions.

    .venv/bin/python -m councilqa.eval.bars                      # every set, float32, bfloat16 and int8
    .venv/bin/python -m councilqa.eval.bars --sets kent --precisions float32 --out /tmp/f32.json
    .venv/bin/python -m councilqa.eval.bars --merge /tmp/f32.json /tmp/bf16.json   # bars from both

Float32, bfloat16 and int8 vectors differ a little, so rankings move by a rank here and there and
a bar set at one precision's figure can fail on another (CI runs on whatever CPU the submitting
machine has: bfloat16 where native, else int8). Each bar is the lowest of the precisions' figures (the higher, for a metric
where lower is better) less one question's worth: 1/n of the questions that metric is taken
over in that split. Ungrounded answers get no margin: the bar stays at what was measured.
The figures behind each bar are written beside it. bfloat16 on a CPU without native support is
emulated and about seven times slower; the figures are the same.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

from .harness import GROUPS, LOWER_IS_BETTER, evaluate, measured_group
from .sets import BY_NAME, ROOT, SETS

GATED = ["answer_accuracy", "citation_support", "cited_page", "hit@5", "mrr", "abstention_unanswerable",
         "false_abstention", "ungrounded_answers"]
PRECISIONS = ("float32", "bfloat16", "int8")
THRESHOLDS = ROOT / "eval" / "thresholds.json"


def one_question(metric: str, measured: dict) -> float:
    """What one question moves this metric by, in the split it was measured on."""
    if metric == "ungrounded_answers":
        return 0.0
    n = {"abstention_unanswerable": measured["unanswerable"], "cited_page": measured["with_page"]}.get(
        metric, measured["answerable"])
    return 1.0 / n if n else 0.0


def limit(metric: str, values: dict[str, float], margin: float) -> dict:
    """The worse of the precisions' figures, one question's worth further: the bar with its figures."""
    if metric in LOWER_IS_BETTER:
        at = math.ceil((max(values.values()) + margin) * 1000 - 1e-6) / 1000
    else:
        at = max(0.0, math.floor((min(values.values()) - margin) * 1000 + 1e-6) / 1000)
    return {"bar": at, **values, "margin": round(margin, 4)}


def bar(metric: str, by_precision: dict[str, dict]) -> dict | None:
    """The bar for one metric of one split, from that split's metrics in each precision."""
    values = {p: m[metric] for p, m in by_precision.items() if m.get(metric) is not None}
    if not values:
        return None
    return limit(metric, values, max(one_question(metric, m) for m in by_precision.values()))


def merge(files: list[Path]) -> dict:
    """Bars from several files, each measured in other precisions (bfloat16 emulated on a CPU
    without it takes long enough to run apart): per set, split and metric, every precision's
    figure is kept and the bar set again from all of them."""
    merged: dict = {}
    for path in files:
        for name, groups in json.loads(path.read_text(encoding="utf-8")).items():
            if name.startswith("_"):
                continue
            for group, metrics in groups.items():
                for metric, entry in metrics.items():
                    seen = merged.setdefault(name, {}).setdefault(group, {}).setdefault(metric, {"margin": 0.0})
                    seen.update({k: v for k, v in entry.items() if k in PRECISIONS})
                    seen["margin"] = max(seen["margin"], entry["margin"])
    return {name: {group: {metric: limit(metric, {p: e[p] for p in PRECISIONS if p in e}, e["margin"])
                           for metric, e in metrics.items()} for group, metrics in groups.items()}
            for name, groups in merged.items()}


def bars_for(results: dict[str, dict]) -> dict:
    """{group: {metric: bar}} from {precision: evaluate() result} of one set."""
    groups: dict[str, dict[str, dict]] = {}
    for group in GROUPS:
        measured = {p: m for p, r in results.items() if (m := measured_group(r, group))}
        if measured:
            groups[group] = {m: b for m in GATED if (b := bar(m, measured)) is not None}
    return groups


def measure(names: list[str], precisions: list[str], work: Path) -> dict[str, dict[str, dict]]:
    """{set: {precision: result}}, each precision on fresh indexes (one per corpus)."""
    from ..settings import Settings

    results: dict[str, dict[str, dict]] = {name: {} for name in names}
    for precision in precisions:
        settings = Settings(embedding_precision=precision)
        indexes: dict[Path, Path] = {}
        for name in names:
            qset = BY_NAME[name]
            fresh = qset.corpus not in indexes
            index = indexes.setdefault(qset.corpus, work / f"{precision}-{len(indexes)}")
            results[name][precision] = evaluate(qset.questions, index, qset.corpus if fresh else None,
                                                work / f"{precision}-reports", settings=settings,
                                                paraphrases_path=qset.paraphrases)
            print(f"{name} {precision}: " + json.dumps(results[name][precision]["splits"]), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(s.name for s in SETS if s.available()))
    parser.add_argument("--precisions", default=",".join(PRECISIONS))
    parser.add_argument("--out", type=Path, default=THRESHOLDS)
    parser.add_argument("--merge", type=Path, nargs="+", help="measure nothing: set the bars from these files' figures")
    args = parser.parse_args(argv)
    names, precisions = args.sets.split(","), args.precisions.split(",")
    thresholds = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    thresholds = {"_comment": "", **thresholds}  # the comment first, where a reader starts
    thresholds["_comment"] = (
        "Bars the CI evaluation must meet (tests/test_eval_quality.py), per set and split. Written by "
        "`python -m councilqa.eval.bars`: each bar is the lower of the float32 and bfloat16 figures beside it "
        "(the higher for false abstention and ungrounded answers) less one question's worth (margin). "
        "Raise them when quality rises. Lowering one is a trade to state in the commit, with what was gained "
        "on holdout and paraphrases in return.")
    if args.merge:
        thresholds.update(merge(args.merge))
    else:
        with tempfile.TemporaryDirectory(prefix="councilqa-bars-") as work:
            results = measure(names, precisions, Path(work))
        thresholds.update({name: bars_for(results[name]) for name in names})
    args.out.write_text(json.dumps(thresholds, indent=1) + "\n", encoding="utf-8")
    print(f"bars written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
