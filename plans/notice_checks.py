"""Checks that must pass before a plan's co-creation timeline is published (the move to the
notice period, OGP minimum requirement 3.1). Higher apps register their own at start-up
(forums: the forum's decision, where its rules ask for one) without plans importing them,
as adoption checks do (adoption.py).
"""

from collections.abc import Callable
from typing import Any

# Each check takes the plan and returns a list of human-readable problems (empty = fine).
NoticeCheck = Callable[[Any], list[str]]
_CHECKS: list[NoticeCheck] = []


def register_notice_check(check: NoticeCheck) -> NoticeCheck:
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def notice_problems(plan: Any) -> list[str]:
    problems: list[str] = []
    for check in _CHECKS:
        problems.extend(check(plan))
    return problems
