"""Why an index cannot be read. Kept apart from store.py so the vector stores can raise them."""

from __future__ import annotations


class IndexNotFound(FileNotFoundError):
    pass


class VectorStoreUnavailable(IndexNotFound):
    """The store that holds an index's vectors cannot be used (Milvus unreachable, pymilvus not
    installed, a collection that lacks the generation's vectors). An IndexNotFound, so the
    command line and the API report it as an index that cannot be read (an error line, a 503);
    but never read as an empty index: a writer that met it must not write one in its place
    (ingest/pipeline.py _load_existing lets it through)."""
