"""Benchmarks: `make bench` (bench/run.py). Not part of the product or the test run."""
