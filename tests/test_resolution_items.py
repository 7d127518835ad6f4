"""Rule "a resolution keeps its items" (ingest/chunking.py): a paragraph leading in to a list and
the list's items stay in one passage while they fit, so a decision is quoted whole and a
sentence pasted from it finds it in one passage. Made-up minutes."""

from __future__ import annotations

from councilqa.ingest.chunking import LIST_MARKER

DISCUSSION = ("Members asked how the library service would reach villages without a branch. The officer "
              "said the mobile library would visit each of them once a fortnight from the spring.")
LEAD_IN = "5. RESOLVED that the Committee agree to:"
ITEMS = [
    "(a) Adopt the Rural Libraries Plan on behalf of the County Council;",
    "(b) Delegate authority to the Director of Libraries, in consultation with the Cabinet Member, "
    "to make minor changes to the plan during its lifetime; and",
    "(c) Note the timetable for consulting parish councils on the new mobile routes.",
]


def pack(blocks: list[str], target: int = 250, max_chars: int = 600) -> list[str]:
    from test_chunk_labels import pack as pack_paragraphs

    return pack_paragraphs(blocks, target, max_chars)


def test_a_resolution_and_all_its_items_are_one_passage():
    passages = pack([DISCUSSION, LEAD_IN, *ITEMS])
    resolution = [p for p in passages if "RESOLVED" in p]
    assert len(resolution) == 1
    assert resolution[0].startswith(LEAD_IN), passages  # not tacked onto the discussion before it
    assert all(item in resolution[0] for item in ITEMS), passages


def test_a_list_too_long_for_one_passage_is_still_cut():
    long_items = [item + " " + "The plan sets out further detail for each district in turn." * 4 for item in ITEMS]
    passages = pack([LEAD_IN, *long_items])
    assert len(passages) > 1
    assert all(len(p) <= 600 * 1.5 for p in passages)


def test_a_lead_in_followed_by_prose_is_packed_as_before():
    # The lead-in travels with the paragraph after it (rule "a paragraph ending in ':'"), and the
    # passage before is not cut from it: only list items are gathered.
    blocks = [DISCUSSION, "The officer explained:", DISCUSSION.replace("library", "museum")]
    assert pack(blocks, target=200) == ["\n\n".join(blocks)]


def test_list_items():
    for item in ["(a) Adopt", "b) Delegate", "(iv) Note", "3. Agree", "• Endorse", "(12) Approve"]:
        assert LIST_MARKER.match(item), item
    for prose in ["Adopt the plan", "2025. The council", "3.5 million people", "a)x"]:
        assert not LIST_MARKER.match(prose), prose


def test_the_items_of_one_list_share_their_marking():
    from councilqa.ingest.chunking import _marker_style

    assert _marker_style("(a) Adopt") == _marker_style("(iv) Note") == _marker_style("(c) Agree")
    assert _marker_style("(ii) Note") != _marker_style("2) Following the debate, the Chairman put the motion")
    assert _marker_style("3. Agree") != _marker_style("3) Agree")
    assert _marker_style("The Committee agreed") is None
    # The minutes' next numbered paragraph after a resolution is not one of its items.
    passages = pack([LEAD_IN, *ITEMS, "6) Following the debate, the Chairman thanked the officers for the plan."],
                    target=100)
    resolution = next(p for p in passages if "RESOLVED" in p)
    assert ITEMS[-1] in resolution and "Following the debate" not in resolution, passages


def test_a_question_asking_two_things_gets_the_whole_short_resolution(tmp_path, settings):
    """Rule "two things asked, a short list kept whole" (qa/answerer.py): asked what was agreed
    and who may change the plan, the answer quotes both items of the resolution, not only the
    one naming the plan and its changes."""
    from test_rules import answerer_over

    minutes = ("MINUTES OF THE CABINET\n\nHeld on 3 June 2026\n\n12. Rural Libraries Plan\n\n" + DISCUSSION + "\n\n"
               + LEAD_IN.replace("Committee", "Cabinet") + "\n\n" + ITEMS[0] + "\n\n" + ITEMS[1].replace(
                   "to make minor changes", "and the Leader of the Council, to make minor changes and corrections, "
                   "including to the delivery timetable and the list of mobile stops,") + "\n\n13. Any other business\n\n"
               "There was none.")
    answerer = answerer_over(tmp_path, settings, {"2026-06-03-cabinet/minutes.txt": minutes})
    answer = answerer.answer("what did cabinet agree about the rural libraries plan in june, and who can make changes to it later?")
    assert not answer.abstained, answer.answer
    assert "Adopt the Rural Libraries Plan" in answer.answer and "Director of Libraries" in answer.answer, answer.answer
