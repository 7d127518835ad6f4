"""Ingest: read council papers (PDF, HTML, text, Markdown), clean them, read their metadata and
cut them into passages that keep their page, section and table headers."""
