"""The forum's decisions: motions put to a meeting, decided by consensus or by a vote per
seat under the quorum and parity its rules set, and who voted how (issue #16)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forums.choices import (
    DecisionMethod,
    DecisionOutcome,
    DecisionPurpose,
    MeetingStatus,
    Sector,
    VoteChoice,
)
from forums.motions import Tally, tally
from plans.models import ActionPlan

from .forum import ForumSeat
from .meetings import ForumMeeting


class DecisionQuerySet(models.QuerySet["Decision"]):
    def on_record(self) -> "DecisionQuerySet":
        """Decisions whose meeting's minutes are published: public, and evidence."""
        return self.filter(meeting__status=MeetingStatus.MINUTES_PUBLISHED)

    def passed_for(self, plan: ActionPlan, purpose: str) -> "DecisionQuerySet":
        """Passed forum decisions about `plan` for `purpose` (a gate of the plan)."""
        return self.filter(
            plan=plan,
            purpose=purpose,
            outcome=DecisionOutcome.PASSED,
            meeting__working_group__isnull=True,
            meeting__forum__member_id=plan.member_id,
        )


class Decision(models.Model):
    """A decision of a meeting: a motion with its result. Older records (and decisions
    simply noted in the minutes) have the method "recorded" and no votes."""

    meeting = models.ForeignKey(
        ForumMeeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    method = models.CharField(
        _("decided by"),
        max_length=20,
        choices=DecisionMethod.choices,
        default=DecisionMethod.RECORDED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DecisionOutcome.choices, default=DecisionOutcome.PASSED
    )
    # The forum's rules when the motion was decided, so that its result can be explained
    # later even if the rules change.
    quorum_needed = models.PositiveSmallIntegerField(_("quorum needed"), default=0)
    sectors_needing_majority = models.JSONField(
        _("sectors whose majority was needed"), default=list, blank=True
    )
    plan = models.ForeignKey(
        ActionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_decisions",
        verbose_name=_("action plan"),
    )
    purpose = models.CharField(
        _("about the plan"),
        max_length=30,
        choices=DecisionPurpose.choices,
        default="",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="") | Q(plan__isnull=False),
                name="decision_purpose_names_plan",
            )
        ]
        indexes = [
            models.Index(fields=["plan", "purpose", "outcome"], name="decision_plan_gate"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def result(self) -> Tally:
        """The result explained under the rules that applied (votes prefetched, ideally)."""
        return tally(
            self.method,
            [(vote.sector, vote.choice) for vote in self.votes.all()],
            quorum_needed=self.quorum_needed,
            sectors_needing_majority=self.sectors_needing_majority,
        )

    @property
    def is_passed(self) -> bool:
        return self.outcome == DecisionOutcome.PASSED


class SeatVote(models.Model):
    """How one seat holder present voted on a motion (for a consensus: yes = agrees,
    no = objects, abstain = stands aside). Seats without a row were absent."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="votes", verbose_name=_("decision")
    )
    seat = models.ForeignKey(
        ForumSeat,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("seat"),
    )
    # As at the vote: the record stays readable when the seat is gone.
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        ordering = ["decision", "sector", "name", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["decision", "seat"], name="seatvote_unique_seat")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_choice_display()}"
