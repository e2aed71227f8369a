"""Benchmarks for Spine Atlas search: quality (hit@k, MRR) and speed, against an FTS5 baseline."""
