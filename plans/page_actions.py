"""Links a plan's page offers that belong to higher apps ("New consultation"). A higher app
registers a provider at start-up; plans never names its URLs or rules.
"""

from collections.abc import Callable
from typing import Any

# A provider takes the person and the plan and returns (label, URL) pairs to show.
PlanActionProvider = Callable[[Any, Any], list[tuple[str, str]]]
_PROVIDERS: list[PlanActionProvider] = []


def register_plan_action(provider: PlanActionProvider) -> PlanActionProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def plan_actions(user: Any, plan: Any) -> list[tuple[str, str]]:
    """The (label, URL) links every registered app offers this person on this plan's page."""
    actions: list[tuple[str, str]] = []
    for provider in _PROVIDERS:
        actions += provider(user, plan)
    return actions
