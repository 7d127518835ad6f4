"""HTTP service: a thin FastAPI shell over the plain functions in ingest/, index/ and qa/."""
