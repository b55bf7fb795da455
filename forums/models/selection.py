"""Civil-society self-selection: rounds, nominations and ballots."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.choices import RoundPhase, RoundStatus
from ogp_portal.organisations.models import Organisation

from .forum import Forum


class SelectionRound(models.Model):
    """Civil society selects its own representatives: CSOs nominate, then each verified CSO
    casts one ballot; the results are published with the counts."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="selection_rounds", verbose_name=_("forum")
    )
    title = models.CharField(_("title"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats to fill"))
    nominations_open_at = models.DateTimeField(_("nominations open"))
    nominations_close_at = models.DateTimeField(_("nominations close"))
    voting_open_at = models.DateTimeField(_("voting opens"))
    voting_close_at = models.DateTimeField(_("voting closes"))
    term_starts_on = models.DateField(_("term of the elected starts on"))
    term_ends_on = models.DateField(_("term of the elected ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-voting_close_at", "-pk"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="round_seats_positive"),
            models.CheckConstraint(
                condition=Q(nominations_close_at__gt=F("nominations_open_at")),
                name="round_nominations_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(voting_open_at__gte=F("nominations_close_at")),
                name="round_voting_after_nominations",
            ),
            models.CheckConstraint(
                condition=Q(voting_close_at__gt=F("voting_open_at")),
                name="round_voting_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("term_starts_on")),
                name="round_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:round-detail", args=[self.pk])

    def phase(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.status == RoundStatus.CANCELLED:
            return RoundPhase.CANCELLED
        if self.status == RoundStatus.RESULTS_PUBLISHED:
            return RoundPhase.PUBLISHED
        if now < self.nominations_open_at:
            return RoundPhase.UPCOMING
        if now < self.nominations_close_at:
            return RoundPhase.NOMINATING
        if now < self.voting_open_at:
            return RoundPhase.WAITING_FOR_VOTE
        if now < self.voting_close_at:
            return RoundPhase.VOTING
        return RoundPhase.COUNTING

    def get_phase_display(self) -> str:
        return str(RoundPhase(self.phase()).label)

    def nominations_are_open(self, now: dt.datetime | None = None) -> bool:
        return self.phase(now) == RoundPhase.NOMINATING

    def voting_is_open(self, now: dt.datetime | None = None) -> bool:
        return self.phase(now) == RoundPhase.VOTING

    def voting_has_closed(self, now: dt.datetime | None = None) -> bool:
        """Counts may be shown only from here on: nobody sees running totals."""
        return self.status == RoundStatus.RESULTS_PUBLISHED or (
            self.status == RoundStatus.OPEN and (now or timezone.now()) >= self.voting_close_at
        )


class Nomination(models.Model):
    """A candidate put forward by a verified CSO for a round."""

    round = models.ForeignKey(
        SelectionRound,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("selection round"),
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_nominations",
        verbose_name=_("candidate"),
    )
    candidate_name = models.CharField(_("candidate's name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="forum_nominations",
        verbose_name=_("nominated by"),
    )
    statement = models.TextField(_("statement"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # Frozen when the results are published, so the published counts never move.
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    is_elected = models.BooleanField(_("elected"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Not a column: services.round_tally sets it on the nominations it returns (the running
    # count of ballot choices, or `votes` once the results are published).
    vote_count: int

    class Meta:
        ordering = ["round", "candidate_name"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "candidate"], name="nomination_one_per_candidate_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_name} ({self.organisation})"


class Ballot(models.Model):
    """One ballot per verified CSO per round, whoever of its representatives casts it."""

    round = models.ForeignKey(
        SelectionRound,
        on_delete=models.CASCADE,
        related_name="ballots",
        verbose_name=_("selection round"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="forum_ballots",
        verbose_name=_("organisation"),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cast by"),
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "cast_at"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="ballot_one_per_organisation_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.organisation}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="choices", verbose_name=_("ballot")
    )
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="ballot_choices",
        verbose_name=_("candidate"),
    )

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "nomination"], name="ballotchoice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ballot} → {self.nomination}"
