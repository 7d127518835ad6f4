"""Index: dense vectors in FAISS, BM25 over the same passages, passage text and metadata in
SQLite, written atomically as a new generation and loaded without unpickling anything."""
