"""The forum of a member: its mandate, chair rotation, seats per sector and who sits."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.choices import ChairMode, SeatRole, Sector, SelectionMethod
from forums.dates import add_months, months_between
from ogp_portal.organisations.models import Member, Organisation


class Forum(models.Model):
    """A member's space for ongoing dialogue (MR 1.1). One per member."""

    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, related_name="forum", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), help_text=_("What the forum is for and decides."))
    rules_of_participation = models.TextField(
        _("rules of participation"),
        help_text=_(
            "Public: who may take part, how members are selected, how decisions are taken."
        ),
    )
    # The chair rotates between these sectors, in this order, every `chair_rotation_months`
    # months from `chair_rotation_starts_on`. Empty: no rotation (the seat marked chair).
    chair_rotation = models.JSONField(_("chair rotates between"), default=list, blank=True)
    chair_rotation_months = models.PositiveSmallIntegerField(_("months per chair term"), default=12)
    chair_rotation_starts_on = models.DateField(_("rotation starts on"), null=True, blank=True)
    # Governance, as the rules of participation say (issue #16): who steers, how the forum
    # decides, and which stages of a plan need its decision.
    chair_mode = models.CharField(
        _("who chairs"), max_length=20, choices=ChairMode.choices, default=ChairMode.SINGLE_CHAIR
    )
    minutes_require_cosign = models.BooleanField(
        _("minutes need both co-chairs' signatures"), default=False
    )
    quorum_count = models.PositiveSmallIntegerField(
        _("quorum (seats present)"), null=True, blank=True
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (share of the seats, in %)"), null=True, blank=True
    )
    majority_in_each_sector = models.BooleanField(
        _("a vote needs a majority in each sector"), default=False
    )
    adoption_requires_decision = models.BooleanField(
        _("adopting a plan needs a forum decision"), default=False
    )
    timeline_requires_decision = models.BooleanField(
        _("publishing a plan's co-creation timeline needs a forum decision"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["member__name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.CheckConstraint(
                condition=Q(chair_rotation_months__gt=0), name="forum_rotation_months_positive"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True)
                | Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="forum_quorum_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:forum-detail", args=[self.member.slug])

    def chair_sector_on(self, day: dt.date) -> str | None:
        """The sector that holds the chair on `day` under the rotation, or None."""
        if not self.chair_rotation or not self.chair_rotation_starts_on:
            return None
        if day < self.chair_rotation_starts_on:
            return None
        terms = months_between(self.chair_rotation_starts_on, day) // self.chair_rotation_months
        return self.chair_rotation[terms % len(self.chair_rotation)]

    @property
    def has_co_chairs(self) -> bool:
        return self.chair_mode == ChairMode.CO_CHAIRS

    @property
    def has_published_rules(self) -> bool:
        """MR 1.1: the rules of participation are public (the forum page shows them)."""
        return bool(self.rules_of_participation.strip())

    def chair_rotation_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels.get(s, s)) for s in self.chair_rotation]

    def next_chair_change_on(self, day: dt.date) -> dt.date | None:
        if not self.chair_rotation or not self.chair_rotation_starts_on:
            return None
        if day < self.chair_rotation_starts_on:
            return self.chair_rotation_starts_on
        terms = months_between(self.chair_rotation_starts_on, day) // self.chair_rotation_months
        return add_months(self.chair_rotation_starts_on, (terms + 1) * self.chair_rotation_months)

    def chair_on(self, day: dt.date) -> "ForumSeat | None":
        """Who chairs on `day`: with a rotation, the current chair or co-chair of the sector
        whose turn it is; without one, the current seat marked chair."""
        seats = self.seats.current(day).filter(role__in=[SeatRole.CHAIR, SeatRole.CO_CHAIR])
        sector = self.chair_sector_on(day)
        seats = seats.filter(sector=sector) if sector else seats.filter(role=SeatRole.CHAIR)
        # A seat marked chair wins over a co-chair of the same sector.
        return seats.select_related("organisation").order_by("role", "term_starts_on").first()


class SeatAllocation(models.Model):
    """How many seats a sector has on the forum."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="seat_allocations", verbose_name=_("forum")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        ordering = ["forum", "sector"]
        verbose_name = _("seat allocation")
        verbose_name_plural = _("seat allocations")
        constraints = [
            models.UniqueConstraint(fields=["forum", "sector"], name="seatallocation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.forum}: {self.get_sector_display()} × {self.seats}"


class SeatHolder(models.Model):
    """Someone who sits for a sector: on the forum (ForumSeat) or in a working group
    (WorkingGroupMember). A name always; a portal account and an organisation when known.

    The links have no reverse accessor: lower apps (users, organisations) must not reach
    up into the forum, and the forum queries its own seats."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("portal account"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        abstract = True


class ForumSeatQuerySet(models.QuerySet["ForumSeat"]):
    def current(self, day: dt.date | None = None) -> "ForumSeatQuerySet":
        """Seats whose term includes `day` (both ends inclusive; today by default)."""
        day = day or timezone.localdate()
        return self.filter(term_starts_on__lte=day, term_ends_on__gte=day)

    def occupying(self) -> "ForumSeatQuerySet":
        """Seats that count against a sector's allocation (alternates do not)."""
        return self.exclude(role=SeatRole.ALTERNATE)

    def overlapping(self, starts_on: dt.date, ends_on: dt.date) -> "ForumSeatQuerySet":
        return self.filter(term_starts_on__lte=ends_on, term_ends_on__gte=starts_on)


class ForumSeat(SeatHolder):
    """A person sitting on the forum for a sector, with a role and a term."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="seats", verbose_name=_("forum")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER
    )
    term_starts_on = models.DateField(_("term starts on"))
    term_ends_on = models.DateField(_("term ends on"))
    selected_via = models.CharField(
        _("selected by"),
        max_length=20,
        choices=SelectionMethod.choices,
        default=SelectionMethod.APPOINTMENT,
    )
    selection_round = models.ForeignKey(
        "SelectionRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elected_seats",
        verbose_name=_("selection round"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ForumSeatQuerySet.as_manager()

    class Meta:
        ordering = ["sector", "role", "name"]
        verbose_name = _("forum seat")
        verbose_name_plural = _("forum seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("term_starts_on")),
                name="forumseat_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_sector_display()}, {self.get_role_display()})"

    def is_current(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.term_starts_on <= day <= self.term_ends_on
