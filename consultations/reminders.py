"""Consultation reminders and the notification kinds of consultations.

Recipients (decisions recorded here, as the brief left them open):
* "opened": the people who follow the consultation (ReminderSignup) and started following
  before it opened; someone who follows an open consultation knows it is open.
* "closing" (3 and 1 days before by default): the followers, and the people of the member's
  verified CSOs (approved members of a verified CSO organisation of the plan's member: the
  same people `is_cso_representative` lets act for civil society there). CSOs of other
  members get nothing. Only consultations whose notice is published (public ones).
* "proposal unanswered": the member's civil servants (they publish reasoned responses),
  once per consultation (not once per proposal), listing the proposals still waiting.
"""

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ogp_portal.core.reminders import (
    Due,
    cso_people,
    lazy_format,
    unique_users,
    users_with_role,
)
from ogp_portal.organisations.choices import Role

from .models import Consultation, Proposal, ReminderSignup


def _tz(consultation: Consultation) -> str:
    return consultation.plan.member.time_zone


def _followers(consultation_ids, *, before_opening: bool = False) -> dict[int, list]:
    """Followers by consultation (one query); with `before_opening`, only those who
    followed before the consultation opened."""
    signups = ReminderSignup.objects.filter(
        consultation_id__in=consultation_ids, user__is_active=True
    ).select_related("user")
    if before_opening:
        signups = signups.filter(created_at__lt=F("consultation__opens_at"))
    followers: dict[int, list] = {}
    for signup in signups.order_by("consultation_id", "user_id"):
        followers.setdefault(signup.consultation_id, []).append(signup.user)
    return followers


def consultation_opened_scanner(now: dt.datetime) -> Iterator[Due]:
    """Event: the window opened (opens_at has passed, it has not closed), to followers."""
    consultations = list(
        Consultation.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .filter(Exists(ReminderSignup.objects.filter(consultation=OuterRef("pk"))))
        .select_related("plan__member")
        .order_by("pk")
    )
    if not consultations:
        return
    followers = _followers([c.pk for c in consultations], before_opening=True)
    for consultation in consultations:
        people = followers.get(consultation.pk)
        if not people:
            continue
        yield Due(
            kind="consultation.opened",
            target=consultation,
            deadline=consultation.opens_at,
            recipients=people,
            subject=lazy_format(
                _("“%(title)s” is open for your input"), {"title": consultation.title}
            ),
            template="consultations/emails/consultation_opened.txt",
            context={"consultation": consultation, "time_zone": _tz(consultation)},
            url=consultation.get_absolute_url(),
        )


def consultation_closing_scanner(now: dt.datetime) -> Iterator[Due]:
    """From each of `consultation_closing_days` days before closes_at until it closes; only
    the nearest stage is sent, so a scan that missed the 3-day edge does not send both."""
    stages = sorted(set(settings.OGP_REMINDERS["consultation_closing_days"]))
    if not stages:
        return
    horizon = now + dt.timedelta(days=stages[-1])
    consultations = list(
        Consultation.objects.filter(
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=horizon,
            notice_published_at__isnull=False,
        )
        .select_related("plan__member")
        .order_by("closes_at", "pk")
    )
    if not consultations:
        return
    followers = _followers([c.pk for c in consultations])
    csos = cso_people({c.plan.member_id for c in consultations})
    for consultation in consultations:
        days = next(d for d in stages if now >= consultation.closes_at - dt.timedelta(days=d))
        yield Due(
            kind="consultation.closing",
            stage=f"{days}d",
            target=consultation,
            deadline=consultation.closes_at,
            recipients=unique_users(
                followers.get(consultation.pk, []), csos.get(consultation.plan.member_id, [])
            ),
            subject=lazy_format(
                ngettext_lazy(
                    "“%(title)s” closes in %(days)s day",
                    "“%(title)s” closes in %(days)s days",
                    "days",
                ),
                {"title": consultation.title, "days": days},
            ),
            template="consultations/emails/consultation_closing.txt",
            context={"consultation": consultation, "days": days, "time_zone": _tz(consultation)},
            url=consultation.get_absolute_url(),
        )


def proposal_unanswered_scanner(now: dt.datetime) -> Iterator[Due]:
    """`proposal_unanswered_days` after a window closed, its submitted proposals that still
    have no published reasoned response; fires during the following equal period (a
    catch-up window that keeps the query bounded), once per closing time."""
    days = dt.timedelta(days=settings.OGP_REMINDERS["proposal_unanswered_days"])
    waiting = (
        Proposal.objects.published()
        .filter(consultation=OuterRef("pk"))
        .filter(Q(response__isnull=True) | Q(response__published_at__isnull=True))
    )
    consultations = list(
        Consultation.objects.filter(closes_at__lte=now - days, closes_at__gt=now - 2 * days)
        .filter(Exists(waiting))
        .select_related("plan__member")
        .order_by("closes_at", "pk")
    )
    if not consultations:
        return
    proposals: dict[int, list] = {}
    for proposal in (
        Proposal.objects.published()
        .filter(consultation__in=consultations)
        .filter(Q(response__isnull=True) | Q(response__published_at__isnull=True))
        .order_by("consultation_id", "pk")
        .only("pk", "title", "consultation_id")
    ):
        proposals.setdefault(proposal.consultation_id, []).append(proposal)
    civil_servants = users_with_role(Role.CIVIL_SERVANT, {c.plan.member_id for c in consultations})
    for consultation in consultations:
        waiting_list = proposals.get(consultation.pk, [])
        yield Due(
            kind="proposal.unanswered",
            target=consultation,
            deadline=consultation.closes_at,
            recipients=civil_servants.get(consultation.plan.member_id, []),
            subject=lazy_format(
                ngettext_lazy(
                    "%(count)s proposal to “%(title)s” still has no reasoned response",
                    "%(count)s proposals to “%(title)s” still have no reasoned response",
                    "count",
                ),
                {"count": len(waiting_list), "title": consultation.title},
            ),
            template="consultations/emails/proposal_unanswered.txt",
            context={
                "consultation": consultation,
                "proposals": waiting_list[:50],
                "count": len(waiting_list),
                "time_zone": _tz(consultation),
            },
            url=consultation.get_absolute_url(),
        )


def register() -> None:
    from ogp_portal.core.notifications import AUDIENCE_STAFF, register_kind
    from ogp_portal.core.reminders import register_scanner

    register_kind(
        "consultation.opened",
        _("A consultation you follow opens"),
        _("Sent when a consultation you asked to be reminded of opens for input."),
    )
    register_kind(
        "consultation.closing",
        _("A consultation closes soon"),
        _(
            "Sent a few days and again one day before a consultation you follow, or one "
            "open to your organisation's member, closes."
        ),
    )
    register_kind(
        "proposal.unanswered",
        _("Proposals still wait for a reasoned response"),
        _("Sent to civil servants when proposals have no response some days after closing."),
        audience=AUDIENCE_STAFF,
    )
    register_kind(
        "proposal.decided",
        _("A decision on your proposal"),
        _("Sent when the government publishes its decision and reasoned response."),
    )
    register_kind(
        "comment.reply",
        _("A reply to your comment"),
        _("Sent when someone replies to a comment you wrote."),
    )
    register_scanner(consultation_opened_scanner)
    register_scanner(consultation_closing_scanner)
    register_scanner(proposal_unanswered_scanner)
