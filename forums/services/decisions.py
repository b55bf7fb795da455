"""Motions: put to a forum meeting, decided by consensus or by a vote per seat under the
quorum and parity the forum's rules set (forums/motions.py); and the gates they open in a
plan's cycle."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.choices import DecisionMethod, DecisionOutcome, DecisionPurpose, VoteChoice
from forums.models import Decision, Forum, ForumMeeting, SeatVote
from forums.motions import quorum_for, tally
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User
from plans.models import ActionPlan

from .meetings import check_record_open


def _meeting_day(meeting: ForumMeeting) -> dt.date:
    return timezone.localtime(meeting.starts_at, timezone=meeting.forum.member.zone).date()


def forum_quorum(forum: Forum) -> int:
    seats = forum.seat_allocations.aggregate(n=Sum("seats"))["n"] or 0
    return quorum_for(forum.quorum_count, forum.quorum_percent, seats)


def sectors_needing_majority(forum: Forum) -> list[str]:
    """The sectors with seats on the forum, where its rules ask a majority in each."""
    if not forum.majority_in_each_sector:
        return []
    return list(
        forum.seat_allocations.filter(seats__gt=0)
        .order_by("sector")
        .values_list("sector", flat=True)
    )


@transaction.atomic
def motion_decide(
    meeting: ForumMeeting,
    *,
    actor: User,
    text: str,
    method: str,
    votes: dict[int, str],
    plan: ActionPlan | None = None,
    purpose: str = "",
    now: dt.datetime | None = None,
) -> Decision:
    """Record a motion put to the forum at `meeting` and its result.

    `votes` maps each seat present (a current, non-alternate seat of the forum on the day of
    the meeting) to yes, no or abstain; seats left out were absent. The result follows the
    forum's rules (quorum, consensus or majority, a majority in each sector) and is kept
    with the rules that applied. A motion may name an action plan of the member and what it
    decides about it (adopt it, publish its co-creation timeline).

    Refused before the meeting starts, once its minutes are drafted or published, for a
    working group's meeting, for a seat that could not vote, or a plan of another member."""
    now = now or timezone.now()
    forum = meeting.forum
    if not text.strip():
        raise DomainError(_("Write the motion."))
    if method not in (DecisionMethod.CONSENSUS, DecisionMethod.VOTE):
        raise DomainError(_("Choose how the forum decides: by consensus or by a vote."))
    if meeting.working_group_id is not None:
        raise DomainError(_("Motions are put to the forum itself, not to a working group."))
    if meeting.starts_at > now:
        raise DomainError(_("A motion is decided once the meeting has started."))
    check_record_open(meeting)
    if purpose and plan is None:
        raise DomainError(_("Name the action plan this decision is about."))
    if purpose and purpose not in DecisionPurpose.values:
        raise DomainError(_("Unknown purpose."))
    if plan is not None and plan.member_id != forum.member_id:
        raise DomainError(_("The action plan belongs to another member."))
    if any(choice not in VoteChoice.values for choice in votes.values()):
        raise DomainError(_("Each seat present votes yes, no or abstain."))
    seats = {
        seat.pk: seat
        for seat in forum.seats.current(_meeting_day(meeting)).occupying().filter(pk__in=votes)
    }
    if set(votes) - set(seats):
        raise DomainError(_("Only the forum's members sitting on the day of the meeting vote."))
    quorum = forum_quorum(forum)
    sectors = sectors_needing_majority(forum)
    result = tally(
        method,
        [(seats[pk].sector, choice) for pk, choice in votes.items()],
        quorum_needed=quorum,
        sectors_needing_majority=sectors,
    )
    decision = Decision.objects.create(
        meeting=meeting,
        text=text.strip(),
        position=meeting.decisions.count() + 1,
        method=method,
        outcome=DecisionOutcome.PASSED if result.passed else DecisionOutcome.FAILED,
        quorum_needed=quorum,
        sectors_needing_majority=sectors,
        plan=plan,
        purpose=purpose,
        recorded_by=actor,
    )
    SeatVote.objects.bulk_create(
        SeatVote(decision=decision, seat=seats[pk], name=seats[pk].name, sector=seats[pk].sector,
                 choice=choice)
        for pk, choice in votes.items()
    )  # fmt: skip
    record_event(
        actor,
        "forums.decision.decided",
        decision,
        meeting=meeting.pk,
        method=method,
        outcome=decision.outcome,
        quorum_needed=quorum,
        present=result.present,
        yes=result.yes,
        no=result.no,
        abstain=result.abstain,
        plan=plan.pk if plan else None,
        purpose=purpose,
    )
    return decision


def decision_gate_problems(plan: ActionPlan, purpose: str) -> list[str]:
    """Why `plan` may not pass the gate `purpose` yet under its member's forum rules (empty
    when it may). The decision counts once it is on the public record: passed, at a forum
    meeting whose minutes are published."""
    forum = Forum.objects.filter(member_id=plan.member_id).first()
    if forum is None:
        return []
    required = (
        forum.adoption_requires_decision
        if purpose == DecisionPurpose.ADOPT_PLAN
        else forum.timeline_requires_decision
    )
    if not required:
        return []
    passed = Decision.objects.passed_for(plan, purpose)
    if passed.on_record().exists():
        return []
    label = DecisionPurpose(purpose).label
    if passed.exists():
        return [
            _(
                "The forum decided “%(purpose)s”; it counts once the minutes of that meeting "
                "are published."
            )
            % {"purpose": label}
        ]
    return [
        _(
            "The forum's rules ask for its decision first: a passed motion “%(purpose)s” "
            "naming this plan, in published minutes."
        )
        % {"purpose": label}
    ]


# The registries of plans/ take any plan-like object (plans cannot name higher types).
def adoption_needs_forum_decision(plan: Any) -> list[str]:
    """Adoption check (plans/adoption.py) the forum registers."""
    return decision_gate_problems(plan, DecisionPurpose.ADOPT_PLAN)


def timeline_needs_forum_decision(plan: Any) -> list[str]:
    """Notice check (plans/notice_checks.py) the forum registers."""
    return decision_gate_problems(plan, DecisionPurpose.PUBLISH_TIMELINE)
