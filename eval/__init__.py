"""Evaluation: known-answer question sets and the harness and baselines that score them."""
