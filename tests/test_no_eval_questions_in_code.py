"""The evaluation questions stay out of the code: no source file or test may carry an evaluation
question's text (whole, or any run of 8 of its words in a row), and no comment or string may
point at an evaluation question by its id. Tests ask their own questions of the same papers."""

from __future__ import annotations

import io
import json
import os
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("COUNCILQA_SHARED", ROOT.parent / "shared"))
CODE_DIRS = ["qa", "ingest", "index", "api", "councilqa", "eval", "tests", "benchmarks"]
SELF = Path(__file__).resolve()
# Files whose question ids are made up (they only look like evaluation ids).
MADE_UP_IDS = {ROOT / "tests" / "test_eval_bars.py"}
RUN = 8  # this many words of a question in a row count as quoting it

WORD = re.compile(r"\w+")
ID_SHAPE = re.compile(r"\b[a-z]\d{1,4}(?:-p\d+)?\b", re.I)


def question_files() -> list[Path]:
    files = sorted((ROOT / "eval").glob("*.jsonl"))
    files += sorted(p for p in [SHARED / "eval" / "blackpool-dev.jsonl"] if p.is_file())
    return files


def load_questions() -> tuple[set[str], list[str]]:
    ids, texts = set(), []
    for path in question_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                ids.add(q["id"].lower())
                texts.append(q["question"])
    return ids, texts


def code_files() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py") if p.resolve() != SELF)


def id_references(text: str, ids: set[str]) -> list[tuple[int, str]]:
    """(line, id) for every evaluation id named in a comment, or in a string as a reference to the
    set: "x12 in eval/some.jsonl", "(x12)", "question x12", "kent x12", "x12 asks"."""
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return found
    texty = {tokenize.COMMENT, tokenize.STRING} | {getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    for tok in tokens:
        if tok.type not in texty:
            continue
        for m in ID_SHAPE.finditer(tok.string):
            ident = m.group(0).lower()
            if ident not in ids:
                continue
            before, after = tok.string[: m.start()], tok.string[m.end():]
            if re.search(r"[a-z]-$", before, re.I):
                continue  # the end of a question set's name ("kent-s15"), not a question's id
            if before.endswith("\\"):
                continue  # an escape before a figure ("\t12,750": a tab, then 12,750), not an id
            referenced = tok.type == tokenize.COMMENT or bool(
                re.search(r"[(\[,/]\s*$|\b(?:questions?|ids?|eval|kent|blackpool|dev|new|set)\W*$", before, re.I)
                or re.match(r"\s*[)\],/]|\s+(?:in|of|from)\s+\S*\.jsonl|\s+(?:asks|question)", after, re.I))
            if referenced:
                line = tok.start[0] + tok.string[: m.start()].count("\n")
                found.append((line, ident))
    return found


def quoted_questions(text: str, grams: set[tuple[str, ...]], sizes: set[int]) -> list[tuple[int, str]]:
    """(line, words) for every question quoted whole or by RUN words in a row. Words are compared
    lowercased across punctuation, string breaks and line ends, so a question split over several
    literals is still found."""
    words = [(m.group(0), n + 1) for n, line in enumerate(text.lower().splitlines()) for m in WORD.finditer(line)]
    found, seen = [], set()
    for size in sizes:
        for i in range(len(words) - size + 1):
            gram = tuple(w for w, _ in words[i:i + size])
            if gram in grams and words[i][1] not in seen:
                seen.add(words[i][1])
                found.append((words[i][1], " ".join(gram)))
    return found


def test_no_code_quotes_or_names_an_evaluation_question():
    ids, questions = load_questions()
    assert questions, "no evaluation questions found in eval/*.jsonl"
    grams = set()  # every RUN words in a row of a question, and whole questions shorter than that
    for q in questions:
        w = WORD.findall(q.lower())
        if len(w) < RUN:
            grams.add(tuple(w))
        else:
            grams.update(tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1))
    sizes = {len(g) for g in grams}
    problems = []
    for path in code_files():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        for line, what in quoted_questions(text, grams, sizes):
            problems.append(f"{rel}:{line}: quotes an evaluation question: {what!r}")
        if path not in MADE_UP_IDS:
            for line, ident in id_references(text, ids):
                problems.append(f"{rel}:{line}: names evaluation question {ident}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_checker_finds_a_question_split_over_literals_and_an_id_in_a_comment():
    ids, questions = load_questions()
    question = max(questions, key=len)  # taken from the set at run time, never written here
    words = question.replace('"', " ").replace("\\", " ").split()
    half = len(words) // 2
    source = (f'ASKED = ("{" ".join(words[:half])} "\n'
              f'         "{" ".join(words[half:])}")\n'
              f'x = 1  # as {sorted(ids)[0]} asks\n')
    w = WORD.findall(" ".join(words).lower())
    grams = {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}
    assert [line for line, _ in quoted_questions(source, grams, {RUN})] == [1, 2]
    assert id_references(source, ids) == [(3, sorted(ids)[0])]
