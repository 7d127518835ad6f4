"""`councilqa eval`: run a known-answer question set through councilqa and the baselines, print
the metrics of ../shared/eval/README.md overall and by question type, and write every raw
response (JSONL) and a readable Markdown report with the failures listed.

Systems: "councilqa" (hybrid retrieval + the offline answerer), "bm25" and "dense" (one
retriever, the top passage as the answer) and "naive" (the LangChain tutorial pipeline, built
over the same corpus in the same process).

Access: asked as a "member" (the default) every system searches every paper, restricted ones
included; asked as the "public", restricted papers are left out of every search (and the naive
baseline reads only the files of public documents), as they are for a caller without a token."""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..index.embedder import precision_for
from ..index.search import Filters, Searcher
from ..qa.answerer import Answerer
from ..settings import Settings, get_settings
from .scoring import Score, score
from .splits import indexes_by_split, split_of

ACCESS = ("public", "member")
METRICS = ["answer_accuracy", "citation_support", "cited_page", "hit@1", "hit@5", "hit@10", "mrr",
           "false_abstention", "abstention_unanswerable", "ungrounded_answers", "confidence_brier", "latency_p50_s",
           "latency_p95_s"]
# With --generator llm (COUNCILQA_GENERATOR=llm): how the language model's answers fared. Sentences
# the model wrote, the share of them the checks dropped, the share of questions answered by the
# extractive answer instead (model failed or nothing passed), the share where the model was not
# asked (the extractive answer abstained), and the answers shown with a sentence whose figures,
# dates or names its citations lack, checked again here from the response alone (the bar is 0).
GENERATION_METRICS = ["llm_sentences", "llm_dropped_share", "llm_fell_back", "llm_not_asked", "llm_unsupported_answers"]


def load_questions(path: Path) -> list[dict]:
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                questions.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc})") from exc
    return questions


@dataclass
class Run:
    system: str
    responses: list[dict] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def _top_passage_answer(passages: list[dict]) -> dict:
    """What a retriever alone "answers": its best passage, cited, never abstaining."""
    if not passages:
        return {"answer": "", "abstained": False, "citations": [], "passages": []}
    top = passages[0]
    citation = {"n": 1, "document": top["document"], "page": top.get("page"), "quote": top["text"],
                "passage": f"{top.get('context', '')}\n{top['text']}".strip()}
    return {"answer": top["text"], "abstained": False, "citations": [citation], "passages": passages}


def councilqa_system(answerer: Answerer, filters: Filters | None = None, generator=None):
    """`generator`: a qa/generate.LLMGenerator that rephrases each answer (--generator llm)."""
    if generator is None:
        return lambda q: answerer.answer(q["question"], filters=filters).model_dump()
    return lambda q: generator.rephrase(q["question"], answerer.answer(q["question"], filters=filters)).model_dump()


def llm_generator(searcher: Searcher, settings: Settings):
    from ..qa.generate import LLMGenerator

    return LLMGenerator(settings, searcher.index.passage_by_id)


def unsupported_sentences(response: dict) -> list[str]:
    """The sentences of a language model's answer whose figures, dates or names are not in the
    citations they carry (passage text, and the document's title for names)."""
    from ..qa.llm_check import cited_numbers, split_sentences, unsupported, without_citations

    if response.get("generator") != "llm":
        return []
    citations = {c["n"]: c for c in response.get("citations") or []}
    bad = []
    for sentence in split_sentences(response.get("answer", "")):
        cited = [citations[n] for n in cited_numbers(sentence) if n in citations]
        if not cited or unsupported(without_citations(sentence), "\n".join(c["passage"] for c in cited),
                                    "\n".join(c.get("title", "") for c in cited)):
            bad.append(sentence)
    return bad


def generation_metrics(responses: list[dict]) -> dict:
    generated = [r.get("generation") for r in responses if r.get("generation")]
    if not generated:
        return {}
    written = sum(g["sentences"] for g in generated)
    return {
        "llm_sentences": written,
        "llm_dropped_share": round(sum(len(g["dropped"]) for g in generated) / written, 3) if written else None,
        "llm_fell_back": _share([g["fell_back"] for g in generated]),
        "llm_not_asked": _share([not g["asked"] for g in generated]),
        "llm_unsupported_answers": sum(1 for r in responses if unsupported_sentences(r)),
    }


def retriever_system(searcher: Searcher, mode: str, filters: Filters | None = None):
    """Retrieval alone: "dense", "sparse", "hybrid" (the two fused), or "search" (hybrid reordered
    by the cross-encoder, as `councilqa search` ranks)."""
    rerank = mode == "search"
    return lambda q: _top_passage_answer([p.model_dump() for p in searcher.search(
        q["question"], k=10, filters=filters, mode="hybrid" if rerank else mode, rerank=rerank)])


def naive_system(corpus: Path, settings: Settings, files: list[Path] | None = None):
    """`files`: only these (the public documents' files, for a public run), else all the corpus."""
    from .naive_langchain import build_naive_index

    index = build_naive_index(files if files is not None else [corpus], corpus, settings.model_path())
    return lambda q: index.answer(q["question"])


def run_system(name: str, answer_fn, questions: list[dict], aliases: dict[str, set[str]]) -> Run:
    run = Run(name)
    for q in questions:
        start = time.perf_counter()
        response = answer_fn(q)
        run.seconds.append(time.perf_counter() - start)
        run.responses.append({"id": q["id"], "question": q["question"], **response})
        run.scores.append(score(q, response, aliases))
    return run


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _brier(scores: list) -> float | None:
    """How well the answers' confidence matches how often they are right: the mean squared gap
    between the confidence and 1 (right) or 0 (wrong, or an answer to an unanswerable
    question), over the answers given. 0 is perfect; always saying 0.5 scores 0.25."""
    given = [(s.confidence, s.correct) for s in scores if not s.abstained and s.confidence is not None]
    return round(statistics.mean((c - float(ok)) ** 2 for c, ok in given), 3) if given else None


def metrics(questions: list[dict], run: Run, indexes: list[int] | None = None) -> dict:
    idx = indexes if indexes is not None else list(range(len(questions)))
    answerable = [i for i in idx if questions[i]["answerable"]]
    unanswerable = [i for i in idx if not questions[i]["answerable"]]
    s = run.scores
    pages = [s[i].cited_page for i in answerable if s[i].cited_page is not None]
    ranks = [s[i].rank for i in answerable]
    latencies = sorted(run.seconds[i] for i in idx)
    return {
        "questions": len(idx),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "with_page": len(pages),
        "answer_accuracy": _share([s[i].correct for i in answerable]),
        "citation_support": _share([s[i].cited for i in answerable]),
        "cited_page": _share(pages),
        "hit@1": _share([r is not None and r <= 1 for r in ranks]),
        "hit@5": _share([r is not None and r <= 5 for r in ranks]),
        "hit@10": _share([r is not None and r <= 10 for r in ranks]),
        "mrr": round(statistics.mean([1 / r if r else 0.0 for r in ranks]), 3) if ranks else None,
        "false_abstention": _share([s[i].abstained for i in answerable]),
        "abstention_unanswerable": _share([s[i].abstained for i in unanswerable]),
        "ungrounded_answers": sum(1 for i in idx if s[i].ungrounded),
        "confidence_brier": _brier([s[i] for i in idx]),
        "latency_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "latency_p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 3) if latencies else None,
        **generation_metrics([run.responses[i] for i in idx]),
    }


def by_type(questions: list[dict], run: Run) -> dict[str, dict]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        groups[q.get("type", "other")].append(i)
    return {kind: metrics(questions, run, idx) for kind, idx in sorted(groups.items())}


def by_split(questions: list[dict], run: Run) -> dict[str, dict]:
    """The tune and holdout splits (eval/splits.py): decide on tune, read holdout as totals."""
    return {name: metrics(questions, run, idx) for name, idx in indexes_by_split(questions).items()}


def paraphrase_comparison(questions: list[dict], run: Run, paraphrases: list[dict], paraphrase_run: Run) -> dict:
    """The questions that were paraphrased, asked as written and as reworded: wording must not
    change the answer."""
    asked = {p["paraphrase_of"] for p in paraphrases}
    originals = [i for i, q in enumerate(questions) if q["id"] in asked]
    return {"originals": metrics(questions, run, originals), "paraphrases": metrics(paraphrases, paraphrase_run)}


def document_aliases(searcher: Searcher, corpus: Path | None) -> dict[str, set[str]]:
    """Every path a document was found at, relative to the corpus: an evidence quote on the
    pack copy of a file counts for the original, the bytes being the same."""
    aliases: dict[str, set[str]] = {}
    for doc in searcher.index.documents.values():
        names = {doc.id}
        if corpus:
            for location in doc.locations:
                try:
                    names.add(Path(location).resolve().relative_to(Path(corpus).resolve()).as_posix())
                except ValueError:
                    pass
        aliases[doc.id] = names
    return aliases


def _fmt(value) -> str:
    return "–" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def _side_by_side(columns: dict[str, dict]) -> list[str]:
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    return lines + [f"| {m} | " + " | ".join(_fmt(c[m]) for c in columns.values()) + " |" for m in METRICS]


def markdown_report(title: str, questions: list[dict], runs: list[Run], precision: str,
                    comparison: dict | None = None, access: str = "member") -> str:
    searched = "every paper searched" if access == "member" else "restricted papers left out"
    lines = [f"# Evaluation: {title}, asked as {access} ({searched})", "", f"{len(questions)} questions "
             f"({sum(q['answerable'] for q in questions)} answerable). Embeddings in {precision}.", "", "## Overall", ""]
    lines.append("| metric | " + " | ".join(r.system for r in runs) + " |")
    lines.append("|---|" + "---|" * len(runs))
    overall = [metrics(questions, r) for r in runs]
    for m in METRICS + [m for m in GENERATION_METRICS if m in overall[0]]:
        lines.append(f"| {m} | " + " | ".join(_fmt(o.get(m)) for o in overall) + " |")
    main = runs[0]
    lines += ["", f"## Tune and holdout ({main.system})", "", "Changes are decided on tune; holdout is read as totals.", ""]
    lines += _side_by_side({**by_split(questions, main), "all": overall[0]})
    if comparison:
        lines += ["", f"## Paraphrases ({main.system})", "", "The paraphrased questions as written, and reworded.", ""]
        lines += _side_by_side(comparison)
    lines += ["", f"## By question type ({main.system})", "",
              "| type | n | accuracy | cited | hit@5 | abstained (unanswerable) | false abstention |", "|---|---|---|---|---|---|---|"]
    for kind, m in by_type(questions, main).items():
        lines.append(f"| {kind} | {m['questions']} | {_fmt(m['answer_accuracy'])} | {_fmt(m['citation_support'])} | "
                     f"{_fmt(m['hit@5'])} | {_fmt(m['abstention_unanswerable'])} | {_fmt(m['false_abstention'])} |")
    lines += ["", f"## Failures on the tune split ({main.system})", ""]
    failures = held_out = 0
    split = split_of(questions)
    for q, response, s in zip(questions, main.responses, main.scores):
        problems = []
        if q["answerable"] and not s.correct:
            problems.append("abstained" if s.abstained else "wrong answer")
        if q["answerable"] and not s.cited and not s.abstained:
            problems.append("evidence not cited")
        if s.cited_page is False:
            problems.append("cited page wrong")
        if not q["answerable"] and not s.abstained:
            problems.append("should have abstained")
        if s.ungrounded:
            problems.append(f"ungrounded figures {s.ungrounded}")
        if problems and split[q["id"]] == "holdout":
            held_out += 1  # counted, not shown: holdout is read as totals only
        elif problems:
            failures += 1
            lines += [f"### {q['id']} ({q.get('type')}): {', '.join(problems)}", "", f"- question: {q['question']}",
                      f"- expected: {q.get('answers')}", f"- answer: {' '.join(response['answer'].split())[:600]}",
                      f"- evidence rank in passages: {_fmt(s.rank)}", ""]
    if not failures:
        lines.append("None.")
    lines += ["", f"{held_out} questions of the holdout split failed (not listed: holdout is read as totals)."]
    return "\n".join(lines) + "\n"


def evaluate(questions_path: Path, index_dir: Path, corpus: Path | None = None, out_dir: Path | None = None,
             baselines: list[str] | None = None, settings: Settings | None = None,
             paraphrases_path: Path | None = None, access: str = "member", generator: str = "extractive") -> dict:
    """Run the set as `access` ("member": every paper searched; "public": restricted papers left
    out); returns {"precision", "access", "overall": {system: metrics}, "splits": {"tune",
    "holdout"}, "by_type", and with a paraphrase set "paraphrases": {"originals", "paraphrases"}}
    (the last three for councilqa) and writes files. `generator` "llm" has a language model
    rephrase councilqa's answers (the settings' COUNCILQA_LLM_*), reported in GENERATION_METRICS."""
    if access not in ACCESS:
        raise ValueError(f"unknown access {access!r}: choose from {', '.join(ACCESS)}")
    settings = settings or get_settings()
    questions = load_questions(questions_path)
    if corpus is not None:
        from ..ingest.pipeline import ingest

        ingest([corpus], index_dir, settings, progress=False)
    searcher = Searcher(index_dir, settings)
    aliases = document_aliases(searcher, corpus)
    filters = Filters(include_restricted=access == "member")
    rephrasing = llm_generator(searcher, settings) if generator == "llm" else None
    systems = {"councilqa": councilqa_system(Answerer(searcher), filters, rephrasing)}
    for name in baselines or []:
        if name in ("bm25", "dense", "search"):
            # "search": what `councilqa search` ranks first (hybrid, reordered by the cross-encoder)
            systems[name] = retriever_system(searcher, "sparse" if name == "bm25" else name, filters)
        elif name == "naive":
            if corpus is None:
                raise ValueError("the naive baseline needs --corpus (it builds its own index)")
            files = None if access == "member" else sorted(
                {Path(location) for doc in searcher.index.documents.values() if doc.access == "public"
                 for location in doc.locations if Path(location).resolve().is_relative_to(Path(corpus).resolve())})
            systems[name] = naive_system(corpus, settings, files)
        else:
            raise ValueError(f"unknown baseline {name!r}: choose from bm25, dense, search, naive")
    runs = [run_system(name, fn, questions, aliases) for name, fn in systems.items()]
    precision = precision_for(settings)
    result = {"precision": precision, "access": access, "generator": generator, "overall": {r.system: metrics(questions, r) for r in runs},
              "splits": by_split(questions, runs[0]), "by_type": by_type(questions, runs[0])}
    comparison = None
    if paraphrases_path is not None:
        paraphrases = load_questions(paraphrases_path)
        paraphrase_run = run_system("councilqa", systems["councilqa"], paraphrases, aliases)
        comparison = result["paraphrases"] = paraphrase_comparison(questions, runs[0], paraphrases, paraphrase_run)
    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = Path(questions_path).stem
        for name, run in [(r.system, r) for r in runs] + ([("paraphrases", paraphrase_run)] if comparison else []):
            _write_jsonl(out_dir / f"{stem}.{name}.responses.jsonl", run.responses)
        (out_dir / f"{stem}.report.md").write_text(markdown_report(stem, questions, runs, precision, comparison,
                                                                                    access), encoding="utf-8")
        (out_dir / f"{stem}.metrics.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


GROUPS = ("tune", "holdout", "paraphrases")


def measured_group(result: dict, group: str) -> dict | None:
    """The councilqa metrics of one gated group of an evaluate() result: a split ("tune",
    "holdout") or the reworded questions ("paraphrases")."""
    if group == "paraphrases":
        return result.get("paraphrases", {}).get("paraphrases")
    return result["splits"].get(group)


LOWER_IS_BETTER = {"false_abstention", "ungrounded_answers", "confidence_brier", "latency_p50_s", "latency_p95_s"}


def check_thresholds(result: dict, thresholds: dict) -> list[str]:
    """Metrics of the councilqa run that fall below (or, for the 'lower is better' ones, above)
    the bars kept in eval/thresholds.json: {group: {metric: {"bar": x, ...}}}, where a group is
    "tune", "holdout" (result["splits"]) or "paraphrases" (the reworded questions)."""
    failures = []
    for group, bars in thresholds.items():
        measured = measured_group(result, group)
        if measured is None:
            failures.append(f"{group}: not measured")
            continue
        for name, bar in bars.items():
            value, limit = measured.get(name), bar["bar"]
            if value is None:
                continue
            worse = value > limit if name in LOWER_IS_BETTER else value < limit
            if worse:
                side = "above" if name in LOWER_IS_BETTER else "below"
                failures.append(f"{group} {name} = {value} ({side} the bar {limit}; measured "
                                f"{bar.get('float32')} in float32, {bar.get('bfloat16')} in bfloat16)")
    return failures
