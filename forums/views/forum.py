"""The forum's own pages: the list of forums, a forum's page, setting it up, editing it and
seating people."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import services
from forums.choices import SeatRole, Sector
from forums.forms import ForumForm, ForumSetupForm, SeatForm
from forums.models import Forum, ForumSeat, Thread
from forums.motions import quorum_for
from forums.publications import forum_page_context
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import forum_for


def _sector_rows(forum: Forum, seats: list[ForumSeat]) -> list[dict]:
    allocation = {a.sector: a.seats for a in forum.seat_allocations.all()}
    rows = []
    for value, label in Sector.choices:
        taken = sum(1 for s in seats if s.sector == value and s.role != SeatRole.ALTERNATE)
        seats_given = allocation.get(value, 0)
        rows.append(
            {
                "label": label,
                "seats": seats_given,
                "taken": taken,
                # Parity: the rules give the sector more seats than are filled today.
                "vacant": max(seats_given - taken, 0),
            }
        )
    return rows


def forum_list(request: HttpRequest) -> HttpResponse:
    forums = Forum.objects.select_related("member").order_by("member__name")
    page = Paginator(forums, 50).get_page(request.GET.get("page"))
    return render(request, "forums/forum_list.html", {"page_obj": page, "forums": page})


@in_member_time_zone
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    today = timezone.localdate()
    seats = list(forum.seats.current(today).select_related("organisation"))
    chair = forum.chair_on(today)
    sector_rows = _sector_rows(forum, seats)
    meetings = list(
        forum.meetings.filter(working_group__isnull=True).select_related("forum__member")[:6]
    )
    context = {
        "forum": forum,
        "member": forum.member,
        "seats": seats,
        "sector_rows": sector_rows,
        "chair": chair,
        "co_chairs": [s for s in seats if s.role in (SeatRole.CHAIR, SeatRole.CO_CHAIR)]
        if forum.has_co_chairs
        else [],
        "secretariat": list(forum.secretariat_members.select_related("organisation")),
        "quorum": quorum_for(
            forum.quorum_count, forum.quorum_percent, sum(row["seats"] for row in sector_rows)
        ),
        "chair_sector": forum.chair_sector_on(today),
        "next_chair_change": forum.next_chair_change_on(today),
        "meetings": meetings,
        "rounds": list(forum.selection_rounds.all()[:5]),
        "groups": list(
            forum.working_groups.select_related("policy_area").annotate(
                member_count=Count("members", distinct=True)
            )
        ),
        "threads": list(Thread.objects.filter(forum=forum).visible_to(request.user, forum)[:5]),
        "today": today,
        # The latest in the repository, from records/ (it registers the hook).
        **forum_page_context(request, forum),
    }
    return render(request, "forums/forum_detail.html", context)


@in_member_time_zone
def forum_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request, "forums.setup_forum", None)
    form = ForumSetupForm(request.POST or None, initial={"member": request.GET.get("member")})
    error = None
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        timezone.activate(member.time_zone)
        forum, error = run_service(
            form,
            lambda: services.forum_setup(member, actor=request.user, **form.service_kwargs()),
        )
        if forum is not None:  # the service acted; on a refusal there is no result
            messages.success(request, _("The forum is set up."))
            return redirect(forum)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(request, "forums/forum_form.html", {"form": form}, status=status)


@in_member_time_zone
def forum_update(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.change_forum", forum)
    form = ForumForm(request.POST or None, initial=ForumForm.initial_for(forum))
    error = None
    if request.method == "POST" and form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.forum_update(forum, actor=request.user, **form.service_kwargs()),
        )
        if error is None:
            messages.success(request, _("The forum is updated."))
            return redirect(forum)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum}, status=status)


@in_member_time_zone
def seat_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.change_forum", forum)
    form = SeatForm(request.POST or None, member=forum.member)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seat, error = run_service(
            form,
            lambda: services.seat_add(
                forum,
                actor=request.user,
                name=data["name"],
                user=data.get("user"),
                organisation=data["organisation"],
                sector=data["sector"],
                role=data["role"],
                term_starts_on=data["term_starts_on"],
                term_ends_on=data["term_ends_on"],
                selected_via=data["selected_via"],
            ),
        )
        if seat is not None:
            messages.success(request, _("%(name)s has a seat.") % {"name": seat.name})
            return redirect(forum)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(request, "forums/seat_form.html", {"form": form, "forum": forum}, status=status)
