"""Tests: `python3 -m unittest` from sdks/python (set SPACEDUCK_TEST_URL for the live suite)."""
