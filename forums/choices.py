from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Where a forum seat comes from (ogp-domain.md §1.2)."""

    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    PARLIAMENT = "parliament", _("Parliament")
    OTHER = "other", _("Other")


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MEMBER = "member", _("Member")
    # Alternates stand in for a member; they do not take a seat of their own.
    ALTERNATE = "alternate", _("Alternate")


class SelectionMethod(models.TextChoices):
    SELF_SELECTION = "self_selection", _("Self-selection by civil society")
    OPEN_ELECTION = "open_election", _("Open election")
    INVITATION = "invitation", _("Invitation")
    APPOINTMENT = "appointment", _("Appointed by the government")


class RoundStatus(models.TextChoices):
    """Only human decisions are stored; the windows are computed from the round's times."""

    OPEN = "open", _("Running")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    CANCELLED = "cancelled", _("Cancelled")


class RoundPhase(models.TextChoices):
    """Where a round stands at a given moment (computed, never stored)."""

    UPCOMING = "upcoming", _("Not started")
    NOMINATING = "nominating", _("Nominations open")
    WAITING_FOR_VOTE = "waiting_for_vote", _("Nominations closed, voting not yet open")
    VOTING = "voting", _("Voting open")
    COUNTING = "counting", _("Voting closed, results not yet published")
    PUBLISHED = "published", _("Results published")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingKind(models.TextChoices):
    REGULAR = "msf_regular", _("Regular forum meeting")
    IMPLEMENTATION_REVIEW = (
        "implementation_review_with_cso",
        _("Implementation review with civil society"),
    )
    PUBLIC_ENGAGEMENT = "public_engagement", _("Public engagement")


class MeetingStatus(models.TextChoices):
    """ogp-domain.md §2.6: scheduled → held → minutes_published."""

    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held, minutes to come")
    # Where the forum's rules ask both co-chairs to co-sign, drafted minutes wait here.
    AWAITING_SIGNATURES = "awaiting_signatures", _("Minutes drafted, awaiting co-signatures")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")


class ChairMode(models.TextChoices):
    """Who steers the forum, as its rules of participation say."""

    SINGLE_CHAIR = (
        "single_chair",
        _("One chair (rotating between sectors, or the seat marked chair)"),
    )
    CO_CHAIRS = "co_chairs", _("Co-chairs, one per sector")


class DecisionMethod(models.TextChoices):
    # A decision noted in the minutes, with no motion or vote on record (older records).
    RECORDED = "recorded", _("Noted in the minutes")
    CONSENSUS = "consensus", _("Consensus")
    VOTE = "vote", _("Vote per seat")


class DecisionOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class DecisionPurpose(models.TextChoices):
    """What a motion that names an action plan decides about it (gates of the plan). A
    motion about nothing of the kind has an empty purpose."""

    PUBLISH_TIMELINE = "publish_timeline", _("Publish the plan's co-creation timeline")
    ADOPT_PLAN = "adopt_plan", _("Adopt the plan")


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class GroupApplicationStatus(models.TextChoices):
    """An application to join a working group: the convenor's (or civil servants') decision."""

    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
