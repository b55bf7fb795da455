"""The milestones timeline on a plan's page. Milestones belong to a higher app
(commitments), which registers the provider at start-up; plans never names its models or
states.
"""

from collections.abc import Callable, Sequence
from typing import Any

# A provider takes the plan's commitments shown on the page (already loaded, with their plan)
# and how many entries the page shows; it returns those entries, earliest first, and how many
# there are in all.
TimelineProvider = Callable[[Sequence[Any], int], tuple[list[Any], int]]
_PROVIDERS: list[TimelineProvider] = []


def register_timeline_provider(provider: TimelineProvider) -> TimelineProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def plan_timeline(commitments: Sequence[Any], limit: int) -> tuple[list[Any], int]:
    """At most ``limit`` timeline entries for these commitments, and the total number."""
    entries: list[Any] = []
    total = 0
    for provider in _PROVIDERS:
        found, count = provider(commitments, limit)
        entries += found
        total += count
    return entries[:limit], total
