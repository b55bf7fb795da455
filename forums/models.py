"""The multi-stakeholder forum (ogp-domain.md §1.2): seats, civil-society selection rounds,
meetings with minutes, working groups and the discussion space. The public repository of
process documents (§1.9) is records/.

Windows (nominations, voting) are computed from stored times, never flipped by a job; the
stored statuses record human decisions only (style guide §4).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.organisations.models import Member, Organisation
from plans.models import ActionPlan, PolicyArea

from .choices import (
    MeetingKind,
    MeetingStatus,
    RoundPhase,
    RoundStatus,
    SeatRole,
    Sector,
    SelectionMethod,
)
from .dates import add_months, months_between


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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["member__name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.CheckConstraint(
                condition=Q(chair_rotation_months__gt=0), name="forum_rotation_months_positive"
            )
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


class ForumSeatQuerySet(models.QuerySet):
    def current(self, day: dt.date | None = None) -> "ForumSeatQuerySet":
        """Seats whose term includes `day` (both ends inclusive; today by default)."""
        day = day or timezone.localdate()
        return self.filter(term_starts_on__lte=day, term_ends_on__gte=day)

    def occupying(self) -> "ForumSeatQuerySet":
        """Seats that count against a sector's allocation (alternates do not)."""
        return self.exclude(role=SeatRole.ALTERNATE)

    def overlapping(self, starts_on: dt.date, ends_on: dt.date) -> "ForumSeatQuerySet":
        return self.filter(term_starts_on__lte=ends_on, term_ends_on__gte=starts_on)


class ForumSeat(models.Model):
    """A person sitting on the forum for a sector, with a role and a term."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="seats", verbose_name=_("forum")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_seats",
        verbose_name=_("portal account"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_seats",
        verbose_name=_("organisation"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
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


class WorkingGroup(models.Model):
    """A thematic working group or commitment team of the forum."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="working_groups", verbose_name=_("forum")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    policy_area = models.ForeignKey(
        PolicyArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_working_groups",
        verbose_name=_("policy area"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["forum", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="workinggroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:group-detail", args=[self.pk])


class WorkingGroupMember(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
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
        ordering = ["group", "sector", "name"]
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="workinggroupmember_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ForumMeetingQuerySet(models.QuerySet):
    def with_published_minutes(self) -> "ForumMeetingQuerySet":
        """Meetings that count as evidence (ogp-domain.md §2.6)."""
        return self.filter(status=MeetingStatus.MINUTES_PUBLISHED)


class ForumMeeting(models.Model):
    """A meeting of the forum or of one of its working groups."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("forum")
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    plan = models.ForeignKey(
        ActionPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_meetings",
        verbose_name=_("action plan"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=40, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
    )
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to="forums/minutes/%Y/", blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ForumMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""),
                name="meeting_has_place_or_link",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.MINUTES_PUBLISHED)
                | (
                    Q(minutes_published_at__isnull=False)
                    & (~Q(minutes_text="") | ~Q(minutes_file=""))
                ),
                name="meeting_published_minutes_exist",
            ),
        ]
        indexes = [
            # The reminder scans: scheduled meetings starting soon, held ones without minutes.
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:meeting-detail", args=[self.pk])

    @property
    def minutes_are_published(self) -> bool:
        return self.status == MeetingStatus.MINUTES_PUBLISHED


class MeetingAttendance(models.Model):
    """How many people of each sector attended, so parity is visible."""

    meeting = models.ForeignKey(
        ForumMeeting,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("meeting"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    count = models.PositiveSmallIntegerField(_("people present"))

    class Meta:
        ordering = ["meeting", "sector"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sector"], name="attendance_unique_sector")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_sector_display()} {self.count}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        ForumMeeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    meeting = models.ForeignKey(
        ForumMeeting,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    description = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description[:80]


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user, forum: Forum) -> "ThreadQuerySet":
        """All threads for the forum's participants; the public ones for everyone else."""
        from .rules import is_forum_participant

        if is_forum_participant(user, forum):
            return self
        return self.filter(is_public=True)


class Thread(models.Model):
    """A discussion among forum participants; public ones are readable by anyone."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="threads", verbose_name=_("forum")
    )
    title = models.CharField(_("title"), max_length=200)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Anyone may read a public thread.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post at"), default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:thread-detail", args=[self.pk])


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.thread}: {self.body[:40]}"
