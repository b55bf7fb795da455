"""The discussion space: thread list, starting a thread, reading, replying, visibility."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.forms import ReplyForm, ThreadForm
from forums.models import Thread
from forums.rules import is_forum_participant
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import activate_time_zone, forum_for


@in_member_time_zone
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
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


@in_member_time_zone
def thread_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.post_in_forum", forum)
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
    activate_time_zone(thread.forum)
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


@in_member_time_zone
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    return render(request, "forums/thread_detail.html", _thread_context(request, thread))


@require_POST
@in_member_time_zone
def thread_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    require(request, "forums.post_in_forum", thread.forum)
    form = ReplyForm(request.POST)
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.thread_reply(
                thread, actor=request.user, body=form.cleaned_data["body"]
            ),
        )
        if error is None:
            messages.success(request, _("Your reply is posted."))
            return redirect(thread)
    context = _thread_context(request, thread, reply_form=form)
    return render(request, "forums/thread_detail.html", context, status=refusal_status(error))


@require_POST
@in_member_time_zone
def thread_visibility(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    require(request, "forums.change_thread_visibility", thread.forum)
    make_public = request.POST.get("is_public") == "true"
    services.thread_set_visibility(thread, actor=request.user, is_public=make_public)
    if make_public:
        messages.success(request, _("The thread is public."))
    else:
        messages.success(request, _("The thread is visible to forum participants only."))
    return redirect(thread)
