"""councilqa.langchain.CouncilRetriever in a LangChain chain, over a real index of three papers
written here (two public, one restricted by its sidecar): its Documents carry the passage's
document, page, meeting date, committee and exact span; filters narrow it; the public never gets
the restricted paper."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("langchain_core", reason="the `llm` extra (langchain-core) is not installed")

from langchain_core.prompts import PromptTemplate  # noqa: E402
from langchain_core.runnables import RunnableLambda, RunnablePassthrough  # noqa: E402

from councilqa.langchain import CouncilRetriever, council_search_tool  # noqa: E402

PAPERS = {
    "2024-05-01-cabinet/play-areas.txt": ("CABINET", "1 May 2024", "PLAY AREAS",
                                          "The Cabinet agreed to refurbish 14 play areas in Layton and Marton at a cost "
                                          "of 310,000 pounds, with work to finish by September 2024."),
    "2024-02-07-scrutiny/play-areas-review.txt": ("TOURISM, ECONOMY AND COMMUNITIES SCRUTINY COMMITTEE", "7 February 2024",
                                                  "PLAY AREAS REVIEW",
                                                  "The committee reviewed the condition of play areas and found 9 play "
                                                  "areas in poor repair, mostly in Layton."),
    "2024-05-01-cabinet/play-areas-land-sale.txt": ("CABINET", "1 May 2024", "PLAY AREAS LAND SALE",
                                                    "The Cabinet agreed to sell the former Layton play area land to "
                                                    "Quayside Estates for 95,000 pounds."),
}
RESTRICTED = "2024-05-01-cabinet/play-areas-land-sale.txt"
QUESTION = "Which play areas in Layton were discussed?"


@pytest.fixture(scope="module")
def index(tmp_path_factory, settings):
    from councilqa.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("retriever")
    for name, (body, day, heading, text) in PAPERS.items():
        path = root / "papers" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Report to:\t{body}\nDate of Meeting:\t{day}\n\n{heading}\n\n{text}\n", encoding="utf-8")
    (root / "papers" / f"{RESTRICTED}.meta.json").write_text(json.dumps({"access": "restricted"}), encoding="utf-8")
    report = ingest([root / "papers"], root / "index", settings, progress=False)
    assert report.added == 3, report.summary()
    return root / "index"


@pytest.fixture(scope="module")
def retriever(index, settings) -> CouncilRetriever:
    return CouncilRetriever.from_index(index, settings, k=5)


def test_documents_carry_where_each_passage_is(retriever):
    docs = retriever.invoke(QUESTION)
    assert docs
    for d in docs:
        m = d.metadata
        assert {"document", "title", "committee", "meeting_date", "page", "start", "end", "passage_id", "access"} <= set(m)
        # The span is the passage's own: the document's cleaned text between start and end.
        chunk = retriever.searcher.index.chunk_by_id(m["passage_id"])
        assert (m["start"], m["end"]) == (chunk.start, chunk.end) and chunk.text in d.page_content
        assert m["document"] in PAPERS and m["meeting_date"] in ("2024-05-01", "2024-02-07")


def test_the_public_never_gets_the_restricted_paper(retriever, index, settings):
    assert RESTRICTED not in {d.metadata["document"] for d in retriever.invoke("Quayside Estates land sale price")}
    member = CouncilRetriever.from_index(index, settings, k=5, include_restricted=True)
    found = member.invoke("Quayside Estates land sale price")
    assert found[0].metadata["document"] == RESTRICTED and found[0].metadata["access"] == "restricted"


def test_filters_narrow_the_search_fixed_or_per_call(retriever, index, settings):
    cabinet = CouncilRetriever.from_index(index, settings, k=5, committee="cabinet")
    assert {d.metadata["document"] for d in cabinet.invoke(QUESTION)} == {"2024-05-01-cabinet/play-areas.txt"}
    early = {d.metadata["document"] for d in retriever.invoke(QUESTION, date_to="2024-03-01")}
    assert early == {"2024-02-07-scrutiny/play-areas-review.txt"}
    with pytest.raises(ValueError, match="unknown filter include_restricted"):
        retriever.invoke(QUESTION, include_restricted=True)  # access is never raised per call


def test_it_works_in_a_chain_with_filters(retriever):
    """A small LCEL chain: retrieve with a filter, format the passages with their sources, fill
    a prompt. (The model step is left out: the point is the retriever's part of the chain.)"""
    def sources(docs) -> str:
        return "\n".join(f"[{d.metadata['document']}, {d.metadata['meeting_date']}] {d.page_content}" for d in docs)

    chain = (
        {"passages": RunnableLambda(lambda q: retriever.invoke(q, committee="scrutiny")) | RunnableLambda(sources),
         "question": RunnablePassthrough()}
        | PromptTemplate.from_template("Answer from these passages only.\n{passages}\nQuestion: {question}")
    )
    text = chain.invoke(QUESTION).to_string()
    assert "9 play areas in poor repair" in text and "2024-02-07" in text
    assert "14 play areas" not in text and "Quayside" not in text


def test_the_tool_returns_sources_for_an_agent(retriever):
    tool = council_search_tool(retriever)
    out = tool.invoke({"query": "refurbish play areas cost"})
    assert "310,000 pounds" in out and "2024-05-01-cabinet/play-areas.txt, 2024-05-01" in out
    assert "Quayside" not in out
