"""Figures in text, and the check that every figure in an answer stands in a cited passage.

A figure is a run of digits as people write them in council papers: "£1.99 million", "33%",
"184/10,000", "2024/25", "9 November 2023", "1,472". Figures are compared by their digits with
thousands separators removed, so "1,472" in an answer is grounded by "1,472" or "1472" in a
passage, but "1.99" is not grounded by "199"."""

from __future__ import annotations

import re

# Numbers with optional thousands separators, decimals, a per-N ratio ("184/10,000") or a
# financial year ("2024/25"). Citation markers like "[1]" are not figures.
NUMBER = re.compile(r"(?<![\w.])(?<!\[)\d[\d,]*(?:\.\d+)?(?:/\d[\d,]*)?(?!\])(?![\d])")


def figures(text: str) -> list[str]:
    """Normalised figures in `text` (commas dropped, trailing separators trimmed)."""
    found = []
    for match in NUMBER.finditer(text):
        value = match.group(0).rstrip(",.")
        found.append(value.replace(",", ""))
    return found


def _parts(value: str) -> list[str]:
    return [p for p in value.split("/") if p]


def ungrounded(answer_text: str, passages: list[str]) -> list[str]:
    """Figures in the answer that appear in none of the passages."""
    available = set()
    for passage in passages:
        for value in figures(passage):
            available.add(value)
            available.update(_parts(value))
    return [value for value in figures(answer_text) if value not in available and not all(
        part in available for part in _parts(value))]
