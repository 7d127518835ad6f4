"""Rule "a heading stays with what it heads" (ingest/chunking.py): a passage never ends on a
label whose figures are in the next passage, or the figures are cited without the name of
what they measure. Made-up dashboards and reports."""

from __future__ import annotations

from councilqa.ingest.chunking import Paragraph, _pack, is_label


def pack(blocks: list[str], target: int = 120, max_chars: int = 400) -> list[str]:
    text = "\n\n".join(blocks)
    paragraphs, at = [], 0
    for block in blocks:
        paragraphs.append(Paragraph(at, at + len(block), [(at, at + len(block))]))
        at += len(block) + 2
    return [text[start:end] for start, end in _pack(paragraphs, text, target, max_chars)]


def test_a_service_name_goes_with_its_waiting_times():
    passages = pack([
        "Average wait: 12 weeks. Longest wait: 30 weeks. Referrals waiting 88 at the end of the month.",
        "Dietetics - North Locality",
        "Average wait: 4 weeks. Longest wait: 19 weeks. Referrals waiting 21 at the end of the month.",
    ])
    assert len(passages) == 2
    assert passages[1].startswith("Dietetics - North Locality") and "19 weeks" in passages[1]
    assert "Dietetics" not in passages[0]


def test_sentences_and_lead_ins_are_not_labels():
    assert is_label("Dietetics - North Locality")
    assert is_label("2. Budget monitoring 2026/27")
    assert not is_label("The service met its target in May.")
    assert not is_label("The Committee agreed that:")
    assert not is_label("the waiting list, which grew")
    assert not is_label("A long line that goes on to say a great deal more than any label of a table or a service would")


def test_a_label_alone_takes_its_figures_in():
    passages = pack(["Dietetics - North Locality", "Average wait: 4 weeks. Longest wait: 19 weeks. " * 3])
    assert len(passages) == 1 and passages[0].startswith("Dietetics - North Locality\n\nAverage wait")


def test_passages_that_fit_together_are_unchanged():
    passages = pack(["Speech therapy", "Average wait: 4 weeks.", "Longest wait: 19 weeks."], target=200)
    assert passages == ["Speech therapy\n\nAverage wait: 4 weeks.\n\nLongest wait: 19 weeks."]
