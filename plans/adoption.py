"""Checks that must pass before a plan is adopted. Higher apps register their own at start-up
(consultations: every proposal has a published reasoned response) without plans importing them.
"""

from collections.abc import Callable

# Each check takes the plan and returns a list of human-readable problems (empty = fine).
AdoptionCheck = Callable[["object"], list[str]]
_CHECKS: list[AdoptionCheck] = []


def register_adoption_check(check: AdoptionCheck) -> AdoptionCheck:
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def adoption_problems(plan) -> list[str]:
    problems: list[str] = []
    for check in _CHECKS:
        problems.extend(check(plan))
    return problems
