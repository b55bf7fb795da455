"""Meetings: the list, scheduling one, its page, and the forms that keep its record
(attendance, decisions, action items, minutes)."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.choices import MeetingKind, MeetingStatus
from forums.forms import ActionItemForm, AttendanceForm, DecisionForm, MeetingForm, MinutesForm
from forums.models import ForumMeeting, WorkingGroup
from forums.stewardship import co_chair_seats
from forums.stewardship_forms import AgendaForm, MotionForm
from ogp_portal.core import list_downloads
from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import activate_time_zone, forum_for

# The form a meeting POST validates: its call gets that form (AttendanceForm.counts()).
FormT = TypeVar("FormT", bound=BaseForm)


@in_member_time_zone
def meeting_list(request: HttpRequest, slug: str) -> HttpResponseBase:
    forum = forum_for(slug)
    meetings = forum.meetings.select_related("working_group", "forum__member")
    kind = request.GET.get("kind")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and 1 <= int(year) <= 9999:
        meetings = meetings.filter(starts_at__year=int(year))
    else:
        year = ""
    fmt = list_downloads.wanted_format(request)
    if fmt is not None:
        # The same filters as the page, every match, streamed.
        rows = (
            (
                meeting.starts_at.isoformat(),
                meeting.title,
                meeting.get_kind_display(),
                meeting.get_status_display(),
                meeting.working_group.name if meeting.working_group else "",
                request.build_absolute_uri(meeting.get_absolute_url()),
            )
            for meeting in meetings.iterator(chunk_size=list_downloads.CHUNK)
        )
        header = ("starts_at", "title", "kind", "status", "working_group", "url")
        return list_downloads.stream_list(fmt, f"{forum.member.slug}-meetings", header, rows)
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    context = {
        "download_links": list_downloads.download_links(request),
        "forum": forum,
        "member": forum.member,
        "page_obj": page,
        "kind_choices": MeetingKind.choices,
        "kind": kind,
        "year": year,
    }
    return render(request, "forums/meeting_list.html", context)


@in_member_time_zone
def meeting_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.schedule_meeting", forum)
    group = None
    group_id = request.GET.get("group", "")
    if group_id:
        if not (group_id.isascii() and group_id.isdecimal()):
            raise Http404
        group = get_object_or_404(WorkingGroup, pk=int(group_id), forum=forum)
    form = MeetingForm(request.POST or None, forum=forum, user=request.user)
    error = None
    if request.method == "POST" and form.is_valid():
        meeting, error = run_service(
            form,
            lambda: services.meeting_schedule(
                forum, actor=request.user, working_group=group, **form.cleaned_data
            ),
        )
        if meeting is not None:  # the service acted; on a refusal there is no result
            messages.success(request, _("The meeting is scheduled."))
            return redirect(meeting)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request,
        "forums/meeting_form.html",
        {"form": form, "forum": forum, "group": group},
        status=status,
    )


def _meeting_for(pk: int) -> ForumMeeting:
    meeting = get_object_or_404(
        ForumMeeting.objects.select_related("forum__member", "working_group", "plan"), pk=pk
    )
    activate_time_zone(meeting.forum)
    return meeting


def _meeting_context(request, meeting: ForumMeeting, **forms) -> dict:
    """The meeting page. Those who keep the record get its forms while the minutes are not
    published; a form sent back (invalid or refused) is shown bound to what was typed, even
    when the refusal is that someone published the minutes meanwhile."""
    forum = meeting.forum
    can_edit = request.user.has_perm("forums.publish_minutes", forum)
    attendance = list(meeting.attendance.all())
    record_open = meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.HELD)
    has_started = meeting.starts_at <= timezone.now()
    context = {
        "meeting": meeting,
        "forum": forum,
        "member": forum.member,
        "can_edit": can_edit,
        "attendance": attendance,
        "attendance_total": sum(a.count for a in attendance),
        "decisions": list(meeting.decisions.select_related("plan").prefetch_related("votes")),
        "action_items": list(meeting.action_items.all()),
        "has_started": has_started,
        **cosign_context(request, meeting),
    }
    if can_edit and record_open:
        initial = {a.sector: a.count for a in attendance}
        context["attendance_form"] = AttendanceForm(initial=initial)
        context["decision_form"] = DecisionForm()
        context["action_item_form"] = ActionItemForm()
        if has_started and meeting.working_group_id is None:
            context["motion_form"] = motion_form_for(meeting)
    if can_edit and not meeting.minutes_are_published:
        context["minutes_form"] = MinutesForm()
    if meeting.status == MeetingStatus.SCHEDULED and request.user.has_perm(
        "forums.set_agenda", forum
    ):
        context["agenda_form"] = AgendaForm(initial={"agenda": meeting.agenda})
    if can_edit:
        context.update(forms)
    context["keeps_record"] = any(context.get(name) for name in RECORD_FORMS)
    return context


RECORD_FORMS = (
    "agenda_form",
    "attendance_form",
    "motion_form",
    "decision_form",
    "action_item_form",
    "minutes_form",
)


def motion_form_for(meeting: ForumMeeting, data=None) -> MotionForm:
    """The motion form, with a vote field for each seat sitting on the meeting's day."""
    day = timezone.localtime(meeting.starts_at).date()  # the member's time zone is active
    seats = meeting.forum.seats.current(day).occupying().order_by("sector", "name")
    return MotionForm(data, forum=meeting.forum, seats=seats)


def cosign_context(request: HttpRequest, meeting: ForumMeeting) -> dict:
    """Who signed the minutes when, and who still has to (where the rules ask for it)."""
    forum = meeting.forum
    if not forum.minutes_require_cosign and not meeting.signatures.exists():
        return {}
    signatures = list(meeting.signatures.all())
    signed = {s.user_id for s in signatures}
    awaiting = meeting.status == MeetingStatus.AWAITING_SIGNATURES
    pending = (
        [
            seat
            for seat in co_chair_seats(forum).filter(user__isnull=False)
            if seat.user_id not in signed
        ]
        if awaiting
        else []
    )
    return {
        "signatures": signatures,
        "pending_signers": pending,
        "can_cosign": awaiting
        and request.user.pk not in signed
        and request.user.has_perm("forums.cosign_minutes", forum),
    }


@in_member_time_zone
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(pk)
    return render(request, "forums/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_post(
    request: HttpRequest,
    pk: int,
    perm: str,
    form_class: type[FormT],
    form_name: str,
    call: Callable[[ForumMeeting, FormT], object],
    success: str | Callable[[ForumMeeting], str],
) -> HttpResponse:
    """Shared shape of the meeting's POST forms: authorize, validate, call, redirect. An
    invalid form or a refused call re-renders the meeting page with the reason and what
    was typed (typed minutes are never thrown away)."""
    meeting = _meeting_for(pk)
    require(request, perm, meeting.forum)
    form = form_class(request.POST, request.FILES)
    error = None
    if form.is_valid():
        _result, error = run_service(form, lambda: call(meeting, form))
        if error is None:
            meeting.refresh_from_db()
            messages.success(request, success(meeting) if callable(success) else success)
            return redirect(meeting)
        meeting.refresh_from_db()  # the refusal may be that it changed meanwhile
    context = _meeting_context(request, meeting, **{form_name: form})
    return render(request, "forums/meeting_detail.html", context, status=refusal_status(error))


@require_POST
@in_member_time_zone
def meeting_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "forums.record_attendance",
        AttendanceForm,
        "attendance_form",
        lambda meeting, form: services.meeting_record_attendance(
            meeting, actor=request.user, counts=form.counts()
        ),
        _("Attendance recorded."),
    )


@require_POST
@in_member_time_zone
def meeting_decision_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "forums.record_decisions",
        DecisionForm,
        "decision_form",
        lambda meeting, form: services.decision_add(
            meeting, actor=request.user, text=form.cleaned_data["text"]
        ),
        _("Decision recorded."),
    )


@require_POST
@in_member_time_zone
def meeting_action_item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "forums.record_decisions",
        ActionItemForm,
        "action_item_form",
        lambda meeting, form: services.action_item_add(
            meeting, actor=request.user, **form.cleaned_data
        ),
        _("Action item recorded."),
    )


@require_POST
@in_member_time_zone
def meeting_minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "forums.publish_minutes",
        MinutesForm,
        "minutes_form",
        lambda meeting, form: services.meeting_publish_minutes(
            meeting,
            actor=request.user,
            minutes_text=form.cleaned_data["minutes_text"],
            minutes_file=form.cleaned_data["minutes_file"],
        ),
        lambda meeting: (
            _("The minutes are drafted; they await the co-chairs' signatures.")
            if meeting.status == MeetingStatus.AWAITING_SIGNATURES
            else _("The minutes are published.")
        ),
    )


@in_member_time_zone
def meeting_minutes_file(request: HttpRequest, pk: int) -> FileResponse:
    """The minutes file of a meeting, once its minutes are published (as evidence)."""
    meeting = _meeting_for(pk)
    if not meeting.minutes_published_at and not request.user.has_perm(
        "forums.publish_minutes", meeting.forum
    ):
        raise Http404
    return file_response(meeting.minutes_file)
