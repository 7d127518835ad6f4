"""What a question asks for: its kind (decision, target, waiting, figure, date, who, fact), the
dates and months it names, and its content terms with how rare each is in the index."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..index.sparse import figure_variants, tokenize
from .lettered import lettered_names

MONTH_NAMES = ("january february march april may june july august september october november "
               "december").split()
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\s+(\d{4})\b", re.I)
YEAR = re.compile(r"\b(19|20)\d{2}(?:/\d{2})?\b")
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTH_NAMES) + r")\s*,?\s+(\d{4})\b", re.I)
# Rule "short month": a month typed short before a year ("Oct 2023", "9 Nov 2023", "Sept. 2024")
# is that month, as papers' tables write it ("Dec-23") and people type it in a chat box.
SHORT_MONTH_NAMES = r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
SHORT_MONTH = re.compile(rf"\b({SHORT_MONTH_NAMES})\.?(?=\s+(?:19|20)\d\d\b)", re.I)

# Words that say what kind of answer is wanted but do not pick out a passage by themselves.
QUESTION_WORDS = set(tokenize(
    "what which who whom how many much when where why is are was were did does do the a an of "
    "according current currently figure number amount level per cent percentage rate "
    "committee council meeting agree agreed decide decided resolve resolved report reported "
    "paper papers say said value about regarding according tell me please give after before "
    "consider considered considering following discussion "
    # how precise or how big an answer should be, not what it is about
    "roughly approximately approximate large big if "
    # how a person types a question in a chat box ("can you tell me", "I'd like to know")
    "can could would you i i'd i'm know find show explain like want remind "
    # "at the moment", "right now": the latest figures, which is what a paper reports anyway
    "now moment "
    # words standing for what the question already named ("and what should it be?")
    "it its they them their this that these those ones "
    # light verbs: "who got the power", "what do we get" ask who was given it, what is received;
    # "who gave the keynote" asks who spoke ("give" itself is listed above)
    "get gets got getting gave given gives giving "
    # a councillor's "we" is the council, which its papers name ("the Council", "KCC"), not
    # "we" ("how much do we spend", "how many of our roads")
    "we our us ours "
    # a comparison asked for ("pupil absence vs the national average"): how to answer, not what about
    "vs versus "
    # "what happened to the item": asks its outcome, which a paper states without the word
    "happen happened happens "
))

# How typical or exact the answer should be ("how long do children usually wait"): a paper states
# the figure without the adverb. Removed as whole words before stemming, not listed among the
# question words, because their stems are content words ("General Counsel", "actual spend
# against target", "normal hours").
# A councillor's "meant to" or "supposed to" ("when is it meant to open?") asks what is planned,
# which a paper states without the word ("it plans to open in January").
HEDGES = re.compile(r"\b(?:usually|typically|normally|generally|exactly|precisely|actually|(?:meant|supposed)(?=\s+to\b))\b", re.I)
# Rule "finally names nothing": "what did cabinet finally decide", "what was eventually agreed" ask
# for the last step of a matter, which a paper records without the adverb ("RESOLVED that Cabinet
# adopt ..."). Removed before stemming like the hedges: "final" is a content word ("final accounts").
LAST_STEP = re.compile(r"\b(?:finally|eventually|ultimately|in the end(?!\s+of\b))\b", re.I)
# Rule "how long, how quickly, how soon and once name nothing": they ask for a length of time,
# which a paper states without the word ("within 10 working days"); "once the plan was approved"
# says when, as "after" does (not "once a year", which says how often).
ASKING_HOW_SOON = re.compile(r"(?<=\bhow )(?:quickly|soon|long)\b|\bonce(?=\s+(?:the|it|they|we|this|that|these|those)\b)", re.I)

# The verb of "how long will it last / take / run" (and its "expected to" or "due to") only
# frames the length of time asked for: "the inquiry will sit for 9 days" answers "how long is
# the inquiry expected to last?" without either word. "last" only as a verb ("to last?", not
# "the last consultation").
DURATION_FRAME = re.compile(r"\b(?:(?:expected|due|meant|likely|planned|scheduled|going) to\s+)?"
                            r"(?:last|lasts|lasted|take|takes|took|run|runs|ran|go on)\b(?=\s*(?:\?|,|-|$|for\b|to\b))", re.I)


# Rule "a timeframe asked for is a length of time": "what timeframe do the actions cover?" asks
# how long, as "how long" does, and a paper states it without the word ("over the next five
# years").
TIMESPAN_ASKED = re.compile(r"\b(?:what|which)(?: sort of| kind of)? (?:time ?frames?|time ?scales?|time ?periods?"
                            r"|periods? of time|lengths? of time|duration)\b", re.I)


def _without_duration_frame(text: str) -> str:
    text = TIMESPAN_ASKED.sub("what", text)
    return DURATION_FRAME.sub(" ", text) if re.search(r"\bhow long\b", text, re.I) else text


# Rule "full council": "full council" is what councillors call the meeting of the whole council,
# which its papers name as the council ("County Council", "Council"): "full" is not a word to find.
FULL_COUNCIL = re.compile(r"\bfull(?=\s+council\b)", re.I)


def without_hedges(text: str) -> str:
    """The question without the adverbs that only say how typical or exact an answer it wants,
    nor those asking for the last step ("finally"), nor the "long" of "how long" (or "quickly",
    "soon"), the "once" of "once the plan was approved", nor the "full" of "full council"."""
    return FULL_COUNCIL.sub(" ", ASKING_HOW_SOON.sub(" ", LAST_STEP.sub(" ", HEDGES.sub(" ", _without_duration_frame(text)))))


def _full_month(short: str) -> str:
    return next(m for m in MONTH_NAMES if m.startswith(short.lower()[:3]))


def spell_months(text: str) -> str:
    """Months typed short before a year written out ("Oct 2023" as "October 2023"): how the
    months and days a question names are read (rule "short month")."""
    return SHORT_MONTH.sub(lambda match: _full_month(match.group(1)), text)


def short_month_groups(text: str) -> list[set[str]]:
    """A month typed short and the month written out are one idea: a paper may say either."""
    return [set(tokenize(f"{m.group(1)} {_full_month(m.group(1))}")) for m in SHORT_MONTH.finditer(text)]


# Rule "short financial year": a financial year typed short ("the grant for 25/26", "24-25
# outturn", "FY25/26") is the year papers write as "2025-26". Two two-digit numbers a year apart,
# not part of a longer figure, a sum or a percentage, nor an age band ("16-17 year olds", "aged
# 18-19") or a range of pages or items.
SHORT_FINANCIAL_YEAR = re.compile(r"(?<![\w£$.,/-])(?:fy\s?)?([1-4]\d)\s?[/-]\s?([1-4]\d)(?!\.?\d|%|,\d|[/-]\d|\s*(?:years?|yrs?)\b)", re.I)
NOT_A_YEAR_BEFORE = re.compile(r"\b(?:aged?|ages|pages?|pp|paras?|paragraphs?|items?|sections?)\.?\s*$", re.I)


def spell_financial_years(text: str) -> str:
    """The question with its short financial years written as papers write them."""
    def spelled(match: re.Match) -> str:
        start, end = int(match.group(1)), int(match.group(2))
        if end != start + 1 or NOT_A_YEAR_BEFORE.search(text[: match.start()]):
            return match.group(0)
        return f"20{start:02d}-{end:02d}"
    return SHORT_FINANCIAL_YEAR.sub(spelled, text)


# Rule "short year": a month typed with a two-digit year ("end of sept 24", "Dec '23", "march-25")
# is that month of 2024, 2023, 2025, as papers' tables write it ("Sep-24"). Not a day of a month
# ("on March 25", "March 25th", "March 25 2026").
MONTH_TWO_DIGIT_YEAR = re.compile(r"(?<!\bon )\b(" + "|".join(MONTH_NAMES) + "|" + SHORT_MONTH_NAMES + ")"
                                  r"\.?\s*[-'’]?\s*([1-4]\d)\b(?!st|nd|rd|th|[:%.,]?\d|\s*(?:hours?|days?|weeks?|months?|years?)\b"
                                  r"|,?\s+(?:19|20)\d\d\b)", re.I)
# "May" is a month only after a word that puts a time ("in May 24"), not as a verb ("may 24 ...").
BEFORE_MAY = re.compile(r"\b(?:in|of|by|from|since|until|to|at|end|start|before|after)\s*$", re.I)


def spell_short_years(text: str) -> str:
    """A question's months typed with two-digit years, with the year written out."""
    def spelled(match: re.Match) -> str:
        if match.group(1).lower() == "may" and not BEFORE_MAY.search(text[: match.start()]):
            return match.group(0)
        return f"{match.group(1)} 20{match.group(2)}"
    return MONTH_TWO_DIGIT_YEAR.sub(spelled, text)


# Rule "contractions written out": councillors type "what's the target?", "who's paying?",
# "didn't it pass?"; the rules that read a question look for "what is", "who is", "did not".
# Only a question word (or "that", "there", "it") before "'s": "Kent's" is a possessive.
CONTRACTED_IS = re.compile(r"\b(what|who|how|where|when|why|which|that|there|it|here)['’]s\b", re.I)
CONTRACTED_NOT = re.compile(r"\b(is|was|are|were|do|does|did|has|have|had|could|would|should|must)n['’]t\b", re.I)
IRREGULAR_NOT = {"can't": "cannot", "won't": "will not", "shan't": "shall not"}
CONTRACTED_IRREGULAR = re.compile(r"\b(?:can|won|shan)['’]t\b", re.I)


def spell_contractions(text: str) -> str:
    """A question's "what's", "didn't", "won't" written out as "what is", "did not", "will not"."""
    text = CONTRACTED_IS.sub(lambda m: f"{m.group(1)} is", text)
    text = CONTRACTED_NOT.sub(lambda m: f"{m.group(1)} not", text)
    return CONTRACTED_IRREGULAR.sub(lambda m: IRREGULAR_NOT[m.group(0).lower().replace("’", "'")], text)


# Rule "common shorthand": abbreviations of ordinary words people type in a chat box and papers
# spell out. Only ordinary English words: a council's own initialisms are found by
# qa/vocabulary.py in its own papers.
SHORTHAND = {"cttee": "committee", "cttees": "committees", "cmttee": "committee", "govt": "government",
             "dept": "department", "depts": "departments", "cllr": "councillor", "cllrs": "councillors",
             "exec": "executive", "approx": "approximately", "mgmt": "management", "yr": "year", "yrs": "years",
             "info": "information", "qtr": "quarter", "qtrs": "quarters", "mins": "minutes", "hrs": "hours",
             "wk": "week", "wks": "weeks", "mth": "month", "mths": "months"}  # not "min" (minimum) nor "hr" (HR)
SHORTHAND_WORD = re.compile(r"\b(" + "|".join(SHORTHAND) + r")\b\.?", re.I)


def spell_shorthand(text: str) -> str:
    """Ordinary words typed short written out (rule "common shorthand")."""
    return SHORTHAND_WORD.sub(lambda match: SHORTHAND[match.group(1).lower()], text)


def as_papers_write(question: str) -> str:
    """A question with its contractions and shorthand written out, and its short financial years
    and years of months written as papers write them: what is searched for and read (rules
    "contractions written out", "common shorthand", "short financial year" and "short year")."""
    return spell_short_years(spell_financial_years(spell_shorthand(spell_contractions(question))))


def iso_days(text: str) -> list[str]:
    """The days a text names in full ("14 May 2026", "14th May, 2026"), as ISO dates, in order."""
    return [f"{y}-{MONTH_NAMES.index(m.lower()) + 1:02d}-{int(d):02d}" for d, m, y in DAY_MONTH_YEAR.findall(text)
            if 1 <= int(d) <= 31]


NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})\b")


def spoken_date(iso: str | None) -> str:
    """"2025-02-13" as "13 February 2025", the way papers and questions write a meeting date."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTH_NAMES[int(month) - 1].capitalize()} {year}"


def spell_dates(text: str) -> str:
    """"22.06.2023" as "22 June 2023", so a question's date finds a table's date."""
    def spelled(match: re.Match) -> str:
        day, month, year = match.groups()
        if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
            return match.group(0)
        year = year if len(year) == 4 else f"20{year}"
        return f"{match.group(0)} {int(day)} {MONTH_NAMES[int(month) - 1]} {year}"
    return NUMERIC_DATE.sub(spelled, text)


ACRONYM = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,8})\(([A-Z][A-Za-z]{1,9})\)")


def spelled_acronyms(text: str) -> list[tuple[str, str]]:
    """Each acronym a text spells out, as (its words, the acronym): "Did Not Attend (DNA)" gives
    ("Did Not Attend", "DNA"). The words' initials must spell it."""
    found = []
    for words, acronym in ACRONYM.findall(text):
        initials = [w for w in words.split()]
        letters = acronym[:-1].upper() if acronym.endswith("s") and acronym[:-1].isupper() else acronym.upper()
        tail = initials[-len(letters):]
        if len(tail) == len(letters) and all(w[0].upper() == c for w, c in zip(tail, letters)):
            found.append((" ".join(tail), acronym))
    return found


def acronym_groups(text: str) -> list[set[str]]:
    """"Did Not Attend (DNA)": the spelled-out words and the acronym are one idea, and a paper
    may use either, so they are scored as alternatives."""
    return [set(tokenize(words)) | set(tokenize(acronym)) for words, acronym in spelled_acronyms(text)]


def named_pairs(text: str) -> list[tuple[str, str]]:
    """Adjacent capitalised words after the first ("Blackpool Central", "Planning Committee"),
    as stemmed pairs: the names of things the question is about."""
    # Only words with nothing but a space between them make a name: "Decision 24/00093
    # (Seashells" and "Q3 2024/25 Quarterly" are not names of anything.
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", text))[1:]
    pairs = []
    for left, right in zip(words, words[1:]):
        first, second = left.group(0), right.group(0)
        acronym = lambda w: sum(c.isupper() for c in w) >= 2 or any(c.isdigit() for c in w)
        if text[left.end():right.start()] != " ":
            continue
        if first[0].isupper() and second[0].isupper() and not acronym(first) and not acronym(second):
            a, b = tokenize(first), tokenize(second)
            if a and b:
                pairs.append((a[-1], b[0]))
    return pairs


@dataclass
class Question:
    text: str
    kind: str
    terms: list[str]  # stemmed content terms, question words removed
    month_years: list[str] = field(default_factory=list)  # "december 2023"
    days: list[str] = field(default_factory=list)  # ISO dates named in full: "on 9 January 2025"
    years: list[str] = field(default_factory=list)
    wants_number: bool = False
    wants_percent: bool = False
    wants_person: bool = False
    wants_date: bool = False
    # Asks for an amount itself ("how many responses", "what annual salary"): an answer without
    # one, however well its words match, does not answer.
    asks_quantity: bool = False
    # "How long are children waiting?": only a length of time answers, not a count of them.
    asks_duration: bool = False
    # Asks for a sum of money ("what is the estimated one-off cost"): a count or a year is not one.
    asks_money: bool = False
    focus: str | None = None  # the thing counted in "how many X", stemmed
    focus_word: str | None = None  # ... as typed
    asks_decision: bool = False  # "what did Cabinet decide ...", not "Decision 24/00093" or "requests"
    # "What was the outcome of the challenge?": only a sentence reporting how it ended answers.
    asks_outcome: bool = False
    # "How much will a pass cost?": the price of one thing, not a budget line for all of them.
    asks_unit_price: bool = False
    # "Which contractor won ...": an organisation's name is the answer (rule "a name asked for").
    asks_name: bool = False
    asks_person: bool = False  # rule "a person asked for is named"
    asks_frequency: bool = False  # rule "how often asks for a frequency" (qa/figures.py)
    asks_clock_time: bool = False  # rule "what time asks for a time of day" (qa/figures.py)
    asks_chair: bool = False  # rule "who chaired a meeting is named in the chair"
    alternatives: list[set[str]] = field(default_factory=list)  # terms that stand for each other
    # Initialisms typed in the question that the papers never use ("OT"): a unit says one by the
    # capitalised words that spell it (qa/vocabulary.py).
    initialisms: set[str] = field(default_factory=set)
    choices: list[set[str]] = field(default_factory=list)  # "confirm, amend or rescind": the options offered
    category: list[str] = field(default_factory=list)  # "how many were rated Red": what the counted ones are
    names: list[tuple[str, str]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # all question tokens, in order
    pairs: set[tuple[str, str]] = field(default_factory=set)  # adjacent words within a phrase
    # Words naming where the answer is written ("according to the delivery plan paper"): what the
    # answer is in, not what it says (rule "a source named").
    source_terms: set[str] = field(default_factory=set)
    codes: list[str] = field(default_factory=list)  # rule "a code named is the code answered": "CSW4", "KPI-12"


# Rule "a source named": "..., according to the Q3 monitoring report?", "..., per the Leader on 13
# March", "as set out in the budget book": the paper or speaker the answer comes from. Its words
# are found as well in the paper's title, section, body or meeting as in the sentence itself.
SOURCE_NAMED = re.compile(r"\b(?:according to|as (?:set out|stated|reported|given|shown) in|(?<=, )per)\s+([^,?;]+)", re.I)


# Rule "a code named is the code answered": a policy, risk or indicator the question names by its
# code ("policy CSW4", "risk CRR0052", "KPI-12") is answered only from a passage that names it:
# the next policy's or risk's figure, however many words it shares, answers another question.
# Letters run into a number, as codes are written; not a quarter ("Q3"), a financial year
# ("FY24") or letters apart from their number ("item 6", "dec 16").
CODE = re.compile(r"\b([A-Za-z]{2,5})-?(\d{1,4})\b")
NOT_CODES = {"fy", "fye", "covid"}


def codes_named(text: str) -> list[str]:
    """The codes a text names, as letters and number ("csw4")."""
    return [f"{letters.lower()}{number}" for letters, number in CODE.findall(text) if letters.lower() not in NOT_CODES]


def names_code(code: str, text: str) -> bool:
    """Whether `text` names `code`, written with or without a hyphen or space ("CSW 4", "csw-4")."""
    letters, number = re.match(r"([a-z]+)(\d+)", code).groups()
    return re.search(rf"\b{letters}[ -]?{number}\b", text, re.I) is not None


def source_terms(text: str) -> set[str]:
    """The words of the sources a question names (rule "a source named")."""
    return {t for phrase in SOURCE_NAMED.findall(text) for t in tokenize(phrase)}


# First match wins; the order matters ("what did they agree about waiting times" is a decision).
BODY_DID_WITH = r"\bwhat did (?:the )?(?:[\w&'-]+ ){0,3}(?:cabinet|council|committee|board|panel|scrutiny|executive|members?) do with\b"
# Rule "the outcome of an item is its decision": what became of an agenda item ("the outcome on
# the libraries update", "what happened to the parking report", "the result of the petition
# item") is what the meeting resolved about it.
ITEM = r"(?:updates?|reports?|items?|papers?|proposals?|reviews?|petitions?|recommendations?)"
OUTCOME_OF_ITEM = (rf"\b(?:outcome|result)s? (?:on|of|for) (?:the )?(?:[\w'’&-]+ ){{0,6}}?{ITEM}\b"
                   rf"|\bwhat happened (?:to|with|on) (?:the )?(?:[\w'’&-]+ ){{0,6}}?{ITEM}\b")
OUTCOME_WORDS = set(tokenize("outcome outcomes result results happened"))
KINDS = [
    ("decision", re.compile(r"\b(agree|agreed|decide|decided|decision|resolve|resolved|approve|approved|vote|voted|recommend|request|requested)"
                            r"|" + OUTCOME_OF_ITEM +
                            # how councillors also ask what a body decided: "what did the board sign
                            # off", "did council endorse", "what did the panel do with the parking review"
                            # (a body doing it: "what would the plan do with" asks no decision)
                            r"|\bdid\b.{0,60}\b(?:sign(?:ed)?[- ]off|endorse|adopt)\b|" + BODY_DID_WITH)),
    ("waiting", re.compile(r"\b(wait|waiting|waits|waited)\b")),
    ("target", re.compile(r"\b(target|targets|targeted|aim|aims|aiming|floor)\b")),
    ("date", re.compile(r"^\s*when\b|what date|which date|by when|due to")),
    ("who", re.compile(r"^\s*who\b|\bwhich (councillor|member|officer)")),
    ("figure", re.compile(r"how (many|much)|what (percentage|proportion|number|amount|rate|share)|\bcost\b|£")),
]


QUANTITY = re.compile(r"how (many|much|large|big)\b")
# Nouns naming an amount: "what annual salary", "what is the expected total cost of ...".
# Matched as written (a plural's "s" aside), not stemmed: the stem of "rating" is "rate", but
# an inspection's rating is a grade ("Good"), not an amount.
AMOUNT_NOUNS = set("cost salary allowance price fee charge requirement budget rate total amount number percentage "
                   "proportion share sum figure saving savings spend spending deficit surplus overspend underspend "
                   "precept multiple population value "
                   # a difference or what is left is an amount too: "what is the funding gap",
                   # "what is the shortfall in the reserve", "what is the backlog of repairs"
                   "gap shortfall backlog".split())
MONEY_NOUNS = set(tokenize("cost costs price fee charge budget saving savings spend spending overspend underspend "
                           "deficit surplus salary allowance precept allocation grant funding"))
# Rule "a name asked for": "which contractor won", "what company runs", "who was awarded the
# contract": the answer names an organisation (qa/answer_kinds.py, `names_someone_new`).
ORGANISATION_NOUN = (r"(?:contractors?|compan(?:y|ies)|firms?|suppliers?|providers?|developers?|operators?|consultants?"
                     r"|consultancy|organisations?|organizations?|charit(?:y|ies)|bidders?|agency|agencies)")
NAME_ASKED = re.compile(rf"\b(?:which|what)\s+(?:[\w-]+\s+)?{ORGANISATION_NOUN}\b"
                        rf"|\bwho (?:won|was awarded|were awarded|is|was|are|were|will be) (?:the )?(?:[\w-]+\s+){{0,3}}"
                        rf"(?:contract|tender|{ORGANISATION_NOUN})\b")

# Rule "a person asked for is named": "which councillor seconded it", "which cabinet member sent
# apologies", "who proposed the motion": the answer names someone by title and name
# (qa/answer_kinds.py, `names_a_person`). A bare "who" is not enough: "who signed off the budget"
# is answered by a body ("Cabinet"), and "which director" by a post ("the Corporate Director of
# Finance"); members of a council are named by title in its minutes.
PERSON_NOUN = r"(?:members?|councillors?|cllrs?)"
PERSON_ASKED = re.compile(rf"\bwhich\s+(?:[\w-]+\s+)?{PERSON_NOUN}\b"
                          r"|\bwho\s+(?:chaired|seconded|proposed|moved|declared|sent apologies|gave apologies)\b")

# Rule "money asked in other words": "how much ... cost/pay/raise", "how much money/funding/grant
# did we get", "what did the cameras cost".
HOW_MUCH_MONEY = re.compile(r"\bhow much\b.*\b(?:cost|costs|spend|spent|save|saved|pay|paid|charged?|raised?)\b"
                            r"|\bhow much (?!of\b)(?:[\w'’-]+ ){0,3}(?:money|funding|grant|cash)\b"  # not "how much of": a share
                            r"|\bwhat (?:did|does|do|will|would)\b.*\bcost(?: in total)?\W*$")
# Rule "a share asked for is no sum of money": "parking income as a % of the transport budget -
# what's budgeted?" or "what proportion of the budget is spent on ..." asks for a percentage,
# which a row of £m does not give, though the question names money ("income", "budget").
SHARE_ASKED = re.compile(r"\bas an? (?:%|percentage\b|proportion\b|share\b)|\bwhat (?:%|percentage\b|proportion\b|share\b)"
                         r"|\b(?:percentage|proportion) of\b")
WHAT_HEAD = re.compile(r"\bwhat (?:is |was |are |were |will be )?(?:the |its |their )?(?:[\w-]+['’]s )?((?:[\w-]+ ){0,5}?[\w-]+)"
                       r"(?= of\b| for\b| in\b| did\b| does\b| do\b| will\b| is\b| was\b| has\b| have\b| to\b|\?|,| against\b|$)")


def _what_head_word(lower: str) -> str | None:
    """The last word of the noun phrase after "what", as written: "what net revenue budget
    requirement did ..." gives "requirement"; "what did Cabinet agree" gives None."""
    match = WHAT_HEAD.search(lower)
    if not match or re.match(r"(did|does|do|was|were|is|are|has|have|will)\b", match.group(1)):
        return None
    return match.group(1).split()[-1]


def _what_head(lower: str) -> str | None:
    """That word stemmed ("requir")."""
    word = _what_head_word(lower)
    head = tokenize(word) if word else []
    return head[-1] if head else None


def asks_amount(lower: str) -> bool:
    """"how many/how much", or "what" whose noun phrase is an amount ("what net revenue budget
    requirement did County Council approve"), not "what did Cabinet agree about the budget"."""
    word = _what_head_word(lower)
    return bool(QUANTITY.search(lower)) or (word is not None and (word in AMOUNT_NOUNS or word[:-1] in AMOUNT_NOUNS
                                                                  and word.endswith("s")))


def asked_noun(lower: str) -> str | None:
    """"what is the council's final housing grant allocation for 2026-27": the thing whose
    value is asked for ("alloc"), stemmed; None for "what did Cabinet agree"."""
    head = _what_head(lower)
    return head if head not in QUESTION_WORDS else None


OUTCOME_QUESTION = re.compile(r"\b(?:what|how) (?:was|were|is|are|has been|have been) (?:the )?"
                              r"(?:outcome|result|verdict|ruling|conclusion|judg(?:e)?ment|finding)s?\b"
                              # "what did the inspectors find / conclude": what an inspection or review found
                              r"|\bwhat did (?:the )?(?:[\w&'’-]+ ){1,5}?(?:find(?! out)|conclude)\b")
# "how much will a pass cost", "what is the price of a ticket", "how much is each permit":
# one thing (a, an, each, one, per) and its price.
UNIT_PRICE = re.compile(r"\bhow much (?:will|does|would|is|do|did) (?:a|an|each|one) (?:[\w+'’-]+ ){0,6}?"
                        r"(?:cost|costs|charge|be charged)\b"
                        r"|\b(?:price|fee|charge|cost) (?:of|for) (?:a|an|each|one)\b|\bper (?:pass|ticket|person|permit|place)\b")


# Rule "who chaired a meeting is named in the chair": "who chaired the meeting on 9 May?", "who was
# in the chair?" ask who presided, which minutes print beside the name ("Councillor A Smith (in the
# Chair)", "Mr B Jones (Chairman)"), not someone whose title holds the word ("Chair, Scrutiny
# Board"). Said as qa/answer_kinds.py IN_THE_CHAIR. Not "who chairs the board": a standing role.
CHAIR_OF_MEETING_ASKED = re.compile(r"\bwho (?:chaired|was in the chair|presided)\b", re.I)
# Rule "what time asks for a time of day": "what time does the meeting start?", "at what time was
# the hearing adjourned?" are answered by a clock time ("6.30 pm", "10:00", "noon"), said as
# qa/figures.py CLOCK_SAID; not "what timescale" or "what time period" (a length of time), nor
# "what time of year" (a season or month).
CLOCK_ASKED = re.compile(r"\b(?:what|which) time\b(?!\s+(?:period|frame|scale|span|limit|line|of (?:the )?year))"
                         r"|\bwhat hour\b", re.I)
# Rule "how often asks for a frequency" (said as qa/figures.py FREQUENCY_SAID).
FREQUENCY_ASKED = re.compile(r"\bhow (?:often|frequently)\b|\bwhat (?:is the )?frequency\b|\bhow many times an? "
                             r"(?:day|week|month|year|term)\b", re.I)
# Rule "a wait is a length of time": "what's the median wait for an assessment", "what are the
# waiting times for speech therapy" ask how long, as "how long" does; not how many are waiting
# ("what is the number waiting", "the waiting list").
WAIT_ASKED = re.compile(r"\bwhat(?:'s|’s| is| was| are| were) (?:the )?(?:[\w-]+ ){0,3}?"
                        r"(?:waits?|waiting[- ]times?|wait[- ]times?|waiting periods?)\b(?! list)")


# Rule "a count is of its noun": in "how many new permanent places does the plan add" the thing
# counted is "places", not "new": words that only say which or what sort of the things counted
# (new, more, permanent, additional...) are passed over.
DESCRIBING_WORDS = set("""new more additional extra further permanent temporary current existing total other
    fewer different separate individual eligible overall actual""".split())


# Rule "how many did, not how many things": "how many came to the conference", "how many
# applied for a place", "how many turned up" count people by what they did, and name no thing
# counted that the answer must name. A verb in the past right after "how many", then a particle,
# preposition or article (or nothing): "how many registered voters" still counts voters.
PAST_VERBS = set("came went took got gave saw left won lost made sent met ran sat spoke wrote".split())
AFTER_VERB = set("to at in for up on by from the a an their this that it out off into with about".split())


def counted_word(lower: str) -> str | None:
    """"how many responses were received": the thing counted, as typed ("responses")."""
    match = re.search(r"\bhow many ((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*)", lower)
    if not match:
        return None
    words = match.group(1).split()
    if (words[0] in PAST_VERBS or words[0].endswith("ed")) and (len(words) == 1 or words[1] in AFTER_VERB):
        return None  # rule "how many did, not how many things"
    word = next((w for w in words if w not in DESCRIBING_WORDS), None)
    stem = tokenize(word) if word else []
    return word if stem and stem[0] not in QUESTION_WORDS else None


def choice_groups(text: str) -> list[set[str]]:
    """"was it approved, deferred or withdrawn?": the answer says one of the options,
    so they are one idea, found if any of them is."""
    groups = []
    for match in re.finditer(r"\b(?:did|was|were|is|are|will|has|have)\s+\w+\s+((?:\w+,\s+)*\w+,?\s+or\s+\w+)\b", text, re.I):
        options = set(tokenize(match.group(1).replace(" or ", " ")))
        if len(options) >= 2:
            groups.append(options)
    return groups


# "how many were rated Red / judged Good / classed as overdue": papers count things by rating or
# class, and the question names the one it wants.
CATEGORY = re.compile(r"\bhow many\b(?:\s+[\w'-]+){0,4}?\s+(?:were|was|are|is|have been|has been|had been|will be)\s+"
                      r"(?:(?:rag\s+)?rated|classed|classified|graded|judged|assessed|marked)\s+(?:as\s+)?"
                      r"([^?,;]+?)\s*(?:\b(?:in|at|for|by|on|during|within|since|between|under|over|from)\b|\?|$)", re.I)


def category_terms(text: str) -> list[str]:
    """"Of the 38 KPIs, how many were rated Red?": the rating the count is of ("red"). An answer
    must name it: the sentence counting the Green and Amber ones has not answered."""
    match = CATEGORY.search(text)
    if not match:
        return []
    return [t for t in dict.fromkeys(tokenize(match.group(1))) if t not in QUESTION_WORDS]


# Irregular verbs a stemmer cannot join: "how much did KCC hold in loans" is answered by "the
# Council held £746.8m of loans".
IRREGULAR = [set(tokenize(forms)) for forms in (
    "hold held", "pay paid", "spend spent", "meet met", "make made", "take took taken", "give gave given",
    "rise rose risen", "fall fell fallen", "buy bought", "build built", "sell sold", "lead led",
    "begin began begun", "win won", "lose lost", "bring brought", "send sent", "grow grew grown",
    "choose chose chosen", "seek sought", "find found", "keep kept", "leave left")]


# Words papers use for the question's own: "in the latest round" is said as "were recently
# offered".
# A "half-year" report is a "mid-year" one. Rule "councillors are members": papers call the
# councillors "Members" ("Members who have not completed their training", "a Member's
# allowance"), and a councillor asks about "councillors".
SYNONYMS = [set(tokenize(words)) for words in ("latest recent newest", "half mid", "councillor member")]


def other_forms(terms: list[str]) -> list[set[str]]:
    return [forms for forms in IRREGULAR + SYNONYMS if len(forms) > 1 and forms & set(terms)]


def phrase_pairs(text: str) -> set[tuple[str, str]]:
    """Word pairs the question says in order, not across punctuation: in "hold in loans (total
    borrowing)" the gloss in brackets is not a phrase "loans total". A one-word bracket is an
    acronym standing in the phrase: "Did Not Attend (DNA) rate" says "DNA rate"."""
    pairs = set()
    for segment in re.split(r"[()\[\],;:?!]", re.sub(r"\((\w+)\)", r" \1 ", text)):
        tokens = tokenize(segment)
        pairs.update(zip(tokens, tokens[1:]))
    return pairs


def classify(text: str) -> str:
    lower = text.lower()
    return next((kind for kind, pattern in KINDS if pattern.search(lower)), "fact")


def analyse(text: str) -> Question:
    lower = text.lower()
    kind = classify(text)
    terms = [t for t in dict.fromkeys(tokenize(without_hedges(text))) if t not in QUESTION_WORDS]
    if re.search(OUTCOME_OF_ITEM, lower):
        terms = [t for t in terms if t not in OUTCOME_WORDS]  # what a resolution says, not its words
    terms += sorted(lettered_names(text))  # "band D": rule "a lettered name" (qa/lettered.py)
    choices = choice_groups(text)
    dated = spell_months(text)
    focus_word = counted_word(lower)
    return Question(
        text=text,
        kind=kind,
        terms=terms,
        month_years=[f"{m.lower()} {y}" for m, y in MONTH_YEAR.findall(dated)],
        years=[m.group(0) for m in YEAR.finditer(text)],
        days=iso_days(dated),
        wants_number=bool(re.search(r"how (many|much|long)|what (percentage|proportion|number|amount|rate|share|completion rate)|"
                                    r"\b(rate|target|budget|cost|total|population|spend|spending|saving|savings|figure)\b", lower)),
        wants_percent=bool(re.search(r"percentage|per ?cent|%|\bproportions?\b|\brate\b", lower)),  # not "proportionality"
        wants_person=kind == "who" or bool(re.search(r"\bwho\b", lower)),
        # "From what date did Cabinet agree ..." is a decision asked for its date.
        wants_date=kind == "date" or bool(re.search(r"\b(?:what|which) date\b|\b(?:from|by|until|since) when\b|^\s*when\b"
                                                       r"|\bwhen (?:was|were|did|does|do|is|are|will|has|have|had)\b"
                                                       r"|\b(?:me|us|know|out|say|check|confirm) when\b", lower)),
        asks_quantity=asks_amount(lower),
        # "how long", and "how quickly / how soon" (asked of a timescale, answered by one; not "how
        # fast", which may ask a speed); "how old" asks an age, a length of time ("over 20 years old").
        asks_duration=bool(re.search(r"\bhow long\b(?! ago)|\bhow (?:quickly|soon|old)\b", lower) or WAIT_ASKED.search(lower)
                           or TIMESPAN_ASKED.search(lower)),
        asks_money=(asked_noun(lower) in MONEY_NOUNS or bool(HOW_MUCH_MONEY.search(lower))) and not SHARE_ASKED.search(lower),
        focus=tokenize(focus_word)[0] if focus_word else None,
        focus_word=focus_word,
        asks_outcome=bool(OUTCOME_QUESTION.search(lower)),
        asks_unit_price=bool(UNIT_PRICE.search(lower)),
        asks_name=bool(NAME_ASKED.search(lower)),
        asks_person=bool(PERSON_ASKED.search(lower)),
        asks_frequency=bool(FREQUENCY_ASKED.search(lower)),
        asks_clock_time=bool(CLOCK_ASKED.search(lower)),
        asks_chair=bool(CHAIR_OF_MEETING_ASKED.search(lower)),
        asks_decision=bool(re.search(r"\bwhat (?:did|was|were|has|have)\b.{0,60}\b(?:agree|agreed|decide|decided|resolve|resolved|approve|approved|recommend|recommended"
                                     r"|sign(?:ed)?[- ]off|endorse|endorsed|adopt|adopted)\b", lower) or re.search(BODY_DID_WITH, lower)),
        alternatives=acronym_groups(text) + choices + other_forms(terms) + short_month_groups(text) + [
            {t, *figure_variants(t)} for t in terms if figure_variants(t)],
        choices=choices,
        category=category_terms(text),
        names=named_pairs(text),
        tokens=tokenize(text),
        pairs=phrase_pairs(text),
        source_terms=source_terms(text) & set(terms),
        codes=codes_named(text),
    )
