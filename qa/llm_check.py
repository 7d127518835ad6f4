"""The checks every sentence a language model writes must pass before a reader sees it.

The model is untrusted: it may only rephrase the numbered passages it was given. So a sentence
is kept only when it cites at least one of those passages ([n]) and every figure, date and name
in it stands in the passages it cites. Anything else (an uncited sentence, a passage number it
was not given, a figure it made up or took from another passage, a name it invented) is dropped
with the reason. Plain functions on strings: no model, no index, no LangChain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .figures import ITEM_NUMBER, NUMBER_WORD, REFERENCE, figures, ungrounded

CITATION = re.compile(r"\[(\d{1,3})\]")
YEAR = re.compile(r"(?:19|20)\d\d")
# "[1, 2]" and "[1][2]" both cite two passages; models write either.
CITATION_LIST = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})+)\]")
# A sentence ends at . ! or ? (and any citation markers after it) followed by white space; a
# decimal point ("1.5") or a title ("Dr. Smith") does not end one.
SENTENCE_END = re.compile(r"[.!?](?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])*(?=\s)")
TITLE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Cllr|Prof|Rev|Sir|St|No|approx|e\.g|i\.e)\.$")
BULLET = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")
MARKDOWN = re.compile(r"\*\*|__|`")

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
MONTH = re.compile(r"\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                   r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b")
WORD_VALUES = {w: str(v) for v, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000"}
# A capitalised word, with an apostrophe or hyphen inside ("People's", "Lytham-St").
CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:['’-][A-Za-z]+)*")
# Words that open an English sentence with a capital without being names ("The Cabinet": only
# "Cabinet" is one). A capitalised word anywhere but at the start is taken for a name.
OPENERS = set("""a about according across after all also although among an and another any around as at based
before being between both but by during each either every following for from further given having he her here
however if in including it its many more most neither no not of on once one only other our over overall she since
so some such that the their then there therefore these they this those though thus to total under until up upon
we what when where whereas which while who whose with within yes""".split())


@dataclass
class Verdict:
    """One sentence as the model wrote it, the passage numbers it cites, and what is wrong with
    it ("" when it passes every check)."""
    sentence: str
    text: str  # without its citation markers
    cited: list[int] = field(default_factory=list)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def split_sentences(reply: str) -> list[str]:
    """The reply cut into sentences, each with the markers that follow it ("... 331 [1]." and
    "... 331. [1]" alike). A line break ends a sentence too (models answer in bullets); bullet
    marks and Markdown emphasis are dropped."""
    out = []
    for line in MARKDOWN.sub("", reply).splitlines():
        line = BULLET.sub("", line).strip()
        cursor = 0
        for match in SENTENCE_END.finditer(line):
            piece = line[cursor:match.end()].strip()
            if TITLE.search(line[cursor:match.start() + 1]):
                continue
            if piece:
                out.append(piece)
            cursor = match.end()
        if line[cursor:].strip():
            out.append(line[cursor:].strip())
    return out


def cited_numbers(sentence: str) -> list[int]:
    numbers = [int(n) for n in CITATION.findall(sentence)]
    for group in CITATION_LIST.findall(sentence):
        numbers += [int(n) for n in group.split(",")]
    return list(dict.fromkeys(numbers))


def without_citations(sentence: str) -> str:
    text = CITATION_LIST.sub("", CITATION.sub("", sentence))
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


def _words(text: str) -> set[str]:
    return {w.lower().removesuffix("'s").removesuffix("’s") for w in re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", text)}


def _month_numbers(text: str) -> set[int]:
    return {next(i for i, name in enumerate(MONTHS) if name.startswith(m.lower()[:3])) for m in MONTH.findall(text)}


def _number_words_as_figures(text: str) -> str:
    """The numbers a text writes as words, as digits ("twelve" -> "12"), so "12" in a sentence
    is grounded by "twelve" in a passage and the other way round."""
    return " ".join(WORD_VALUES[w.lower()] for w in re.findall(r"[A-Za-z]+", text) if w.lower() in WORD_VALUES)


def unsupported(text: str, source: str, names_source: str = "") -> list[str]:
    """What `text` states that `source` does not carry: figures (by their digits, "1,472" =
    "1472"; numbers in words count as their digits), months, and names (capitalised words,
    case aside, since papers print headings in capitals). `names_source` grounds names only: a
    passage's document title and committee name it, but a figure or a date from the meeting's
    date line is not one the passage states (nor one the cited quote would show)."""
    missing = []
    source_figures = f"{source}\n{_number_words_as_figures(source)}"
    missing += [f"figure {value}" for value in ungrounded(text, [source_figures])]
    source_words = _words(source)
    for word in NUMBER_WORD.findall(text):
        if word.lower() not in source_words and WORD_VALUES.get(word.lower(), word) not in figures(source):
            missing.append(f"figure '{word}'")
    months = _month_numbers(source)
    missing += [f"date '{m}'" for m in MONTH.findall(text) if _month_numbers(m) - months]
    name_words = _words(names_source)
    for match in CAPITALISED.finditer(text):
        word = match.group(0)
        plain = word.lower().removesuffix("'s").removesuffix("’s")
        if MONTH.fullmatch(word) or word == "I" or plain in WORD_VALUES or NUMBER_WORD.fullmatch(word) \
                or plain in source_words or plain in name_words:
            continue
        if not text[:match.start()].strip(" \"'‘“(") and not _name_at_start(word, text[match.end():]):
            continue
        missing.append(f"name '{word}'")
    return list(dict.fromkeys(missing))


def left_out(extractive: str, rewrite: str, question: str = "") -> list[str]:
    """Check "nothing left out": the figures of the extractive answer that its rewrite drops.
    The model may only rephrase, and a rewrite whose every sentence is supported can still
    leave out the figure that answers ("26% up on last year", without the 4,798 pupils). Years,
    the [n] markers, figures the question itself gives, and the item and paragraph numbers a
    quoted paragraph opens with or refers to ("1. Mr Shipton introduced ...", "paragraph 17.73")
    are not the answer's own; numbers written as words count as their digits."""
    kept = set(figures(f"{rewrite} {_number_words_as_figures(rewrite)}"))
    asked = set(figures(question))
    # Item numbers are found before the markers go: "... year [1]. 2. Mrs Chandler" numbers an
    # item, "... approved 12 [1]." states a figure.
    own = figures(CITATION.sub(" ", ITEM_NUMBER.sub(" ", REFERENCE.sub(" ", extractive))))
    return list(dict.fromkeys(f for f in own if f not in kept and f not in asked and not YEAR.fullmatch(f)))


def _name_at_start(word: str, rest: str) -> bool:
    """Whether the capitalised word opening a sentence is a name: an acronym ("CAMHS"), or the
    first of several capitalised words ("Blackpool Council"), unless it is an ordinary opener
    ("The Cabinet"). A lone capitalised opener ("Visits rose") is taken for grammar: without a
    dictionary a single-word name opening a sentence cannot be told from it."""
    if len(word) > 1 and word.isupper():
        return True
    return word.lower() not in OPENERS and bool(re.match(r"\s+[A-Z]", rest))


def check_sentence(sentence: str, passages: dict[int, str], headers: dict[int, str] | None = None) -> Verdict:
    """Whether one sentence may be shown: it cites passages it was given (`passages`: number ->
    the passage's words as the model was shown them), and its figures, dates and names are all
    in the passages it cites (names may also come from a cited passage's `headers`: its
    document's title and committee)."""
    cited, text = cited_numbers(sentence), without_citations(sentence)
    verdict = Verdict(sentence, text, cited)
    if not cited:
        # What it states is checked against every passage given all the same, so the reason
        # says when an uncited sentence also made a figure or a name up.
        made_up = unsupported(text, "\n".join(passages.values()), "\n".join((headers or {}).values()))
        verdict.problem = "cites no passage" + (f"; {'; '.join(made_up)} in no passage given" if made_up else "")
    elif unknown := [n for n in cited if n not in passages]:
        verdict.problem = "cites " + ", ".join(f"[{n}]" for n in unknown) + ", which it was not given"
    elif not re.search(r"[A-Za-z0-9]", text):
        verdict.problem = "says nothing"
    elif missing := unsupported(text, "\n".join(passages[n] for n in cited),
                                "\n".join((headers or {}).get(n, "") for n in cited)):
        where = ", ".join(f"[{n}]" for n in cited)
        verdict.problem = f"{'; '.join(missing)} not in the cited passage{'s' if len(cited) > 1 else ''} {where}"
    return verdict


def check_reply(reply: str, passages: dict[int, str], headers: dict[int, str] | None = None) -> list[Verdict]:
    return [check_sentence(s, passages, headers) for s in split_sentences(reply)]
