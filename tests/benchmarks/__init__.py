"""Benchmark of the daily dunning run against OCA's account_credit_control (see run.py)."""
