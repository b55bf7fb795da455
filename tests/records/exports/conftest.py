"""The export fixtures of tests/exports/conftest.py (plans with commitments, the worker's
runs) serve the tests of records' documents and commands too."""

from tests.exports.conftest import draft_plan, export_runs, make_plan, published_plan  # noqa: F401
