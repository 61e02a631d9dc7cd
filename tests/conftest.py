"""Fixtures come from the e20kit pytest plugin (src/e20kit/testing.py)."""
