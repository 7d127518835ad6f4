"""Question answering over the index (verifiable, cited answers)."""
