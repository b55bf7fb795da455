"""The forum's pages: public pages (forum, meetings, minutes, public threads) and the screens
of the people who run it, over the same models.

Views parse, authorize, call a service and respond. Every page of a forum runs in the
member's time zone: times are shown in it and typed times are read in it.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ogp_portal.core.errors import DomainError
from ogp_portal.core.files import file_response

from . import services
from .choices import MeetingKind, RoundPhase, SeatRole, Sector
from .forms import (
    ActionItemForm,
    AttendanceForm,
    BallotForm,
    DecisionForm,
    ForumForm,
    ForumSetupForm,
    MeetingForm,
    MinutesForm,
    NominationForm,
    PublishResultsForm,
    ReplyForm,
    RoundForm,
    SeatForm,
    ThreadForm,
    WorkingGroupForm,
    WorkingGroupMemberForm,
)
from .models import (
    Forum,
    ForumMeeting,
    ForumSeat,
    SelectionRound,
    Thread,
    WorkingGroup,
)
from .publications import forum_page_context
from .rules import is_forum_participant

FORUM_SELECT = ("member",)


# --- helpers ------------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj) -> None:
    """Anonymous people are sent to sign in; signed-in people without the right get 403."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise _LoginRequiredError
    raise PermissionDenied


class _LoginRequiredError(Exception):
    """Raised by _require for anonymous people; _guarded turns it into a login redirect."""


def _guarded(view):
    """Turn a missing sign-in into a login redirect and activate the member's time zone."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequiredError:
            return redirect_to_login(request.get_full_path())
        finally:
            timezone.deactivate()

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _forum_for(slug: str) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related(*FORUM_SELECT), member__slug=slug)
    timezone.activate(forum.member.time_zone)
    return forum


def _activate(forum: Forum) -> None:
    timezone.activate(forum.member.time_zone)


def _domain_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error))


def _sector_rows(forum: Forum, seats: list[ForumSeat]) -> list[dict]:
    allocation = {a.sector: a.seats for a in forum.seat_allocations.all()}
    rows = []
    for value, label in Sector.choices:
        taken = sum(1 for s in seats if s.sector == value and s.role != SeatRole.ALTERNATE)
        rows.append({"label": label, "seats": allocation.get(value, 0), "taken": taken})
    return rows


# --- the forum ----------------------------------------------------------------------------------


def forum_list(request: HttpRequest) -> HttpResponse:
    forums = Forum.objects.select_related("member").order_by("member__name")
    page = Paginator(forums, 50).get_page(request.GET.get("page"))
    return render(request, "forums/forum_list.html", {"page_obj": page, "forums": page})


@_guarded
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    today = timezone.localdate()
    seats = list(forum.seats.current(today).select_related("organisation"))
    chair = forum.chair_on(today)
    meetings = list(
        forum.meetings.filter(working_group__isnull=True).select_related("forum__member")[:6]
    )
    context = {
        "forum": forum,
        "member": forum.member,
        "seats": seats,
        "sector_rows": _sector_rows(forum, seats),
        "chair": chair,
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


@_guarded
def forum_create(request: HttpRequest) -> HttpResponse:
    _require(request, "forums.setup_forum", None)
    form = ForumSetupForm(request.POST or None, initial={"member": request.GET.get("member")})
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        timezone.activate(member.time_zone)
        try:
            forum = services.forum_setup(member, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The forum is set up."))
            return redirect(forum)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/forum_form.html", {"form": form}, status=status)


@_guarded
def forum_update(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    _require(request, "forums.change_forum", forum)
    form = ForumForm(request.POST or None, initial=ForumForm.initial_for(forum))
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(forum, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The forum is updated."))
            return redirect(forum)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum}, status=status)


@_guarded
def seat_create(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    _require(request, "forums.change_forum", forum)
    form = SeatForm(request.POST or None, member=forum.member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.seat_add(
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
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has a seat.") % {"name": seat.name})
            return redirect(forum)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/seat_form.html", {"form": form, "forum": forum}, status=status)


# --- selection rounds ---------------------------------------------------------------------------


@_guarded
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    _require(request, "forums.open_selection_round", forum)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            selection_round = services.round_open(forum, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The selection round is open."))
            return redirect(selection_round)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/round_form.html", {"form": form, "forum": forum}, status=status)


def _round_for(pk: int) -> SelectionRound:
    selection_round = get_object_or_404(
        SelectionRound.objects.select_related("forum__member"), pk=pk
    )
    _activate(selection_round.forum)
    return selection_round


def _round_context(request, selection_round: SelectionRound, **forms) -> dict:
    forum = selection_round.forum
    user = request.user
    phase = selection_round.phase()
    context = {
        "round": selection_round,
        "forum": forum,
        "member": forum.member,
        "phase": phase,
        "phase_label": RoundPhase(phase).label,
        "nominations": list(selection_round.nominations.select_related("organisation")),
        "ballot_count": None,
        "can_nominate": user.has_perm("forums.nominate", forum),
        "can_vote": user.has_perm("forums.vote", forum),
        "my_ballots": [],
    }
    if context["can_vote"]:
        context["my_ballots"] = list(
            selection_round.ballots.filter(organisation__memberships__user=user).select_related(
                "organisation"
            )
        )
    if phase == RoundPhase.NOMINATING and context["can_nominate"]:
        context["nomination_form"] = forms.get("nomination_form") or NominationForm(
            user=user, member=forum.member
        )
    if phase == RoundPhase.VOTING and context["can_vote"]:
        context["ballot_form"] = forms.get("ballot_form") or BallotForm(
            user=user, selection_round=selection_round
        )
    if selection_round.voting_has_closed():
        # Only the number of ballots, never who voted for whom; and only after closing.
        context["ballot_count"] = selection_round.ballots.count()
    return context


@_guarded
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selection_round = _round_for(pk)
    return render(request, "forums/round_detail.html", _round_context(request, selection_round))


@require_POST
@_guarded
def round_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    selection_round = _round_for(pk)
    forum = selection_round.forum
    _require(request, "forums.nominate", forum)
    if not selection_round.nominations_are_open():
        messages.error(request, _("Nominations are not open for this round."))
        return redirect(selection_round)
    form = NominationForm(request.POST, user=request.user, member=forum.member)
    if form.is_valid():
        try:
            nomination = services.nomination_submit(
                selection_round, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s is nominated.") % {"name": nomination.candidate_name},
            )
            return redirect(selection_round)
    context = _round_context(request, selection_round, nomination_form=form)
    return render(request, "forums/round_detail.html", context, status=400)


@require_POST
@_guarded
def round_vote(request: HttpRequest, pk: int) -> HttpResponse:
    selection_round = _round_for(pk)
    forum = selection_round.forum
    _require(request, "forums.vote", forum)
    if not selection_round.voting_is_open():
        if selection_round.voting_has_closed():
            messages.error(request, _("Voting has closed for this round; ballots are final."))
        else:
            messages.error(request, _("Voting is not open for this round."))
        return redirect(selection_round)
    form = BallotForm(request.POST, user=request.user, selection_round=selection_round)
    if form.is_valid():
        try:
            services.ballot_cast(
                selection_round,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                nominations=form.cleaned_data["candidates"],
            )
        except DomainError as error:
            # A second ballot of the same organisation (a double submit, or a colleague who
            # already voted) is not a form problem: say so and show the round.
            _domain_error(request, error)
            return redirect(selection_round)
        messages.success(request, _("Your organisation's ballot is cast. It is final."))
        return redirect(selection_round)
    context = _round_context(request, selection_round, ballot_form=form)
    return render(request, "forums/round_detail.html", context, status=400)


@_guarded
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The counts: nobody sees them before voting closes. After closing the secretariat sees
    them to publish; everyone sees them once published."""
    selection_round = _round_for(pk)
    forum = selection_round.forum
    can_publish = request.user.has_perm("forums.publish_results", forum)
    if not selection_round.voting_has_closed():
        messages.info(request, _("The counts are shown once voting has closed."))
        return redirect(selection_round)
    published = selection_round.phase() == RoundPhase.PUBLISHED
    if not published and not can_publish:
        messages.info(request, _("The results are not published yet."))
        return redirect(selection_round)
    tally = services.round_tally(selection_round)
    form = None
    if not published:
        default = services.default_elected(selection_round, tally)
        form = PublishResultsForm(
            request.POST or None,
            selection_round=selection_round,
            initial={"elected": [n.pk for n in default]},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.round_publish_results(
                    selection_round, actor=request.user, elected=form.cleaned_data["elected"]
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The results are published."))
                return redirect("forums:round-results", pk=selection_round.pk)
    elif request.method == "POST":
        messages.info(request, _("The results of this round are already published."))
        return redirect("forums:round-results", pk=selection_round.pk)
    context = {
        "round": selection_round,
        "forum": forum,
        "member": forum.member,
        "tally": tally,
        "published": published,
        "form": form,
        "ballot_count": selection_round.ballots.count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/round_results.html", context, status=status)


# --- meetings -----------------------------------------------------------------------------------


@_guarded
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    meetings = forum.meetings.select_related("working_group", "forum__member")
    kind = request.GET.get("kind")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and 1 <= int(year) <= 9999:
        meetings = meetings.filter(starts_at__year=int(year))
    else:
        year = ""
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    context = {
        "forum": forum,
        "member": forum.member,
        "page_obj": page,
        "kind_choices": MeetingKind.choices,
        "kind": kind,
        "year": year,
    }
    return render(request, "forums/meeting_list.html", context)


@_guarded
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    _require(request, "forums.schedule_meeting", forum)
    group = None
    group_id = request.GET.get("group", "")
    if group_id:
        if not (group_id.isascii() and group_id.isdecimal()):
            raise Http404
        group = get_object_or_404(WorkingGroup, pk=int(group_id), forum=forum)
    form = MeetingForm(request.POST or None, forum=forum, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                forum, actor=request.user, working_group=group, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect(meeting)
    status = 400 if request.method == "POST" else 200
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
    _activate(meeting.forum)
    return meeting


def _meeting_context(request, meeting: ForumMeeting, **forms) -> dict:
    forum = meeting.forum
    can_edit = request.user.has_perm("forums.publish_minutes", forum)
    attendance = list(meeting.attendance.all())
    context = {
        "meeting": meeting,
        "forum": forum,
        "member": forum.member,
        "can_edit": can_edit,
        "attendance": attendance,
        "attendance_total": sum(a.count for a in attendance),
        "decisions": list(meeting.decisions.all()),
        "action_items": list(meeting.action_items.all()),
        "has_started": meeting.starts_at <= timezone.now(),
    }
    if can_edit and not meeting.minutes_are_published:
        initial = {a.sector: a.count for a in attendance}
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(initial=initial)
        context["decision_form"] = forms.get("decision_form") or DecisionForm()
        context["action_item_form"] = forms.get("action_item_form") or ActionItemForm()
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm()
    return context


@_guarded
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(pk)
    return render(request, "forums/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_post(request, pk, perm, form_class, form_name, call, success):
    """Shared shape of the meeting's POST forms: authorize, validate, call, redirect; an
    invalid form re-renders the meeting page with the errors and what was typed."""
    meeting = _meeting_for(pk)
    _require(request, perm, meeting.forum)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(meeting, form)
        except DomainError as error:
            _domain_error(request, error)
        else:
            messages.success(request, success)
        return redirect(meeting)
    context = _meeting_context(request, meeting, **{form_name: form})
    return render(request, "forums/meeting_detail.html", context, status=400)


@require_POST
@_guarded
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
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
@_guarded
def meeting_decision_add(request: HttpRequest, pk: int) -> HttpResponse:
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
@_guarded
def meeting_action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
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
@_guarded
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
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
        _("The minutes are published."),
    )


# --- working groups -----------------------------------------------------------------------------


@_guarded
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    _require(request, "forums.manage_working_groups", forum)
    form = WorkingGroupForm(request.POST or None, forum=forum, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.working_group_create(forum, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The working group is created."))
            return redirect(group)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/group_form.html", {"form": form, "forum": forum}, status=status)


def _group_context(request, group: WorkingGroup, member_form=None) -> dict:
    forum = group.forum
    can_manage = request.user.has_perm("forums.manage_working_groups", forum)
    context = {
        "group": group,
        "forum": forum,
        "member": forum.member,
        "people": list(group.members.select_related("organisation")),
        "meetings": list(group.meetings.select_related("forum__member")[:20]),
        "can_manage": can_manage,
        "can_schedule": request.user.has_perm("forums.schedule_meeting", forum),
    }
    if can_manage:
        context["member_form"] = member_form or WorkingGroupMemberForm(member=forum.member)
    return context


def _group_for(pk: int) -> WorkingGroup:
    group = get_object_or_404(
        WorkingGroup.objects.select_related("forum__member", "policy_area__plan"), pk=pk
    )
    _activate(group.forum)
    return group


@_guarded
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group_for(pk)
    return render(request, "forums/group_detail.html", _group_context(request, group))


@require_POST
@_guarded
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group_for(pk)
    _require(request, "forums.manage_working_groups", group.forum)
    form = WorkingGroupMemberForm(request.POST, member=group.forum.member)
    if form.is_valid():
        try:
            services.working_group_add_member(group, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added to the group."))
            return redirect(group)
    context = _group_context(request, group, member_form=form)
    return render(request, "forums/group_detail.html", context, status=400)


# --- discussion ---------------------------------------------------------------------------------


@_guarded
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    threads = (
        Thread.objects.filter(forum=forum)
        .visible_to(request.user, forum)
        .select_related("created_by")
        .annotate(post_count=Count("posts"))
        .order_by("-last_post_at", "-pk")
    )
    page = Paginator(threads, 25).get_page(request.GET.get("page"))
    context = {
        "forum": forum,
        "member": forum.member,
        "page_obj": page,
        "is_participant": is_forum_participant(request.user, forum),
    }
    return render(request, "forums/thread_list.html", context)


@_guarded
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_for(slug)
    _require(request, "forums.post_in_forum", forum)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = services.thread_start(forum, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The thread is started."))
        return redirect(thread)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/thread_form.html", {"form": form, "forum": forum}, status=status)


def _thread_for(request, pk: int) -> Thread:
    """Private threads answer 404 to anyone outside the forum, as if they did not exist."""
    thread = get_object_or_404(Thread.objects.select_related("forum__member"), pk=pk)
    _activate(thread.forum)
    if not thread.is_public and not is_forum_participant(request.user, thread.forum):
        raise Http404
    return thread


def _thread_context(request, thread: Thread, reply_form=None) -> dict:
    forum = thread.forum
    can_post = request.user.has_perm("forums.post_in_forum", forum)
    return {
        "thread": thread,
        "forum": forum,
        "member": forum.member,
        "posts": list(thread.posts.select_related("author")),
        "can_post": can_post,
        "reply_form": (reply_form or ReplyForm()) if can_post else None,
        "can_change_visibility": request.user.has_perm("forums.change_thread_visibility", forum),
    }


@_guarded
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    return render(request, "forums/thread_detail.html", _thread_context(request, thread))


@require_POST
@_guarded
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    _require(request, "forums.post_in_forum", thread.forum)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.thread_reply(thread, actor=request.user, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(thread)
    context = _thread_context(request, thread, reply_form=form)
    return render(request, "forums/thread_detail.html", context, status=400)


@require_POST
@_guarded
def thread_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    _require(request, "forums.change_thread_visibility", thread.forum)
    make_public = request.POST.get("is_public") == "true"
    services.thread_set_visibility(thread, actor=request.user, is_public=make_public)
    if make_public:
        messages.success(request, _("The thread is public."))
    else:
        messages.success(request, _("The thread is visible to forum participants only."))
    return redirect(thread)


# --- files ---------------------------------------------------------------------------------------


def meeting_minutes_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes file of a meeting, once its minutes are published (as evidence)."""
    meeting = _meeting_for(pk)
    if not meeting.minutes_published_at and not request.user.has_perm(
        "forums.publish_minutes", meeting.forum
    ):
        raise Http404
    return file_response(meeting.minutes_file)
