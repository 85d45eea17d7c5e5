"""Benchmarks for the figures the issues name; ``make bench`` (``python -m benchmarks``) runs them all."""
