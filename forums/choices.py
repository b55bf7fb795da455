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
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")


class GroupApplicationStatus(models.TextChoices):
    """An application to join a working group: the convenor's (or civil servants') decision."""

    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
