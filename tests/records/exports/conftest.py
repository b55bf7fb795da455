"""The export fixtures of tests/exports/conftest.py (plans with commitments, the worker's
runs) serve the tests of records' documents and commands too, and the consultation report's
known inputs (tests/consultations/test_report.py) the consultation report PDF."""

from tests.consultations.test_report import consultation, known_inputs, plan  # noqa: F401
from tests.exports.conftest import draft_plan, export_runs, make_plan, published_plan  # noqa: F401
