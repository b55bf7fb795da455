"""The plan page's timeline: the plan's next open milestones (registered with plans.timeline)."""

from collections.abc import Sequence

from .choices import MilestoneStatus
from .models import Commitment, Milestone


def open_milestones(commitments: Sequence[Commitment], limit: int) -> tuple[list[Milestone], int]:
    """The next ``limit`` open milestones of these commitments, earliest due first, and how
    many are open in all. Not every one: a plan of 150 commitments can hold thousands (each
    commitment's page lists all of its own)."""
    milestones = (
        Milestone.objects.filter(commitment__in=[c.pk for c in commitments])
        .exclude(status=MilestoneStatus.COMPLETE)
        .order_by("due_date", "pk")
    )
    timeline = list(milestones[:limit])
    by_pk = {c.pk: c for c in commitments}  # loaded by the page, with their plan
    for milestone in timeline:
        milestone.commitment = by_pk[milestone.commitment_id]
    total = milestones.count() if len(timeline) == limit else len(timeline)
    return timeline, total
