"""A member's public record: the repository (everything on record, newest first), adding a
document to it, a repository file, and the compliance panel.

Mounted under /forums/ in ogp_portal/urls.py, where these pages have always been. Views parse,
authorize, call a service and respond; every page runs in the member's time zone.
"""

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.models import Forum
from ogp_portal.core import list_downloads
from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.organisations.models import Member
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from . import compliance, services
from .filters import RepositoryFilter
from .forms import DocumentForm
from .models import RepositoryDocument


def _member_for(slug: str) -> Member:
    member = get_object_or_404(Member, slug=slug)
    timezone.activate(member.time_zone)
    return member


@in_member_time_zone
def repository(request: HttpRequest, slug: str, plan_pk: int | None = None) -> HttpResponseBase:
    """Everything on record for a member (or one of its plans), newest first."""
    member = _member_for(slug)
    plans = ActionPlan.objects.visible_to(request.user).filter(member=member)
    plan = get_object_or_404(plans, pk=plan_pk) if plan_pk is not None else None
    documents = RepositoryDocument.objects.filter(member=member).published().select_related("plan")
    if plan is not None:
        documents = documents.filter(plan=plan)
    # Documents of a plan still in draft stay out of sight like the plan itself.
    documents = documents.filter(Q(plan__isnull=True) | Q(plan__in=plans))
    doc_filter = RepositoryFilter(
        request.GET or None, queryset=documents, plans=None if plan else plans
    )
    fmt = list_downloads.wanted_format(request)
    if fmt is not None:
        # The same filters as the page, every match, streamed.
        rows = (
            (
                document.published_at.isoformat() if document.published_at else "",
                document.title,
                document.get_doc_type_display(),
                document.plan.title if document.plan else "",
                document.language,
                request.build_absolute_uri(document.link),
            )
            for document in doc_filter.qs.iterator(chunk_size=list_downloads.CHUNK)
        )
        header = ("published_at", "title", "type", "action_plan", "language", "url")
        return list_downloads.stream_list(fmt, f"{member.slug}-repository", header, rows)
    page = Paginator(doc_filter.qs, 25).get_page(request.GET.get("page"))
    context = {
        "download_links": list_downloads.download_links(request),
        "member": member,
        "forum": Forum.objects.filter(member=member).first(),
        "plan": plan,
        "filter": doc_filter,
        "page_obj": page,
        "last_updated": compliance.repository_last_updated(member),
        "can_add": request.user.has_perm("records.add_document", member),
    }
    return render(request, "records/repository.html", context)


@in_member_time_zone
def document_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = _member_for(slug)
    require(request, "records.add_document", member)
    form = DocumentForm(
        request.POST or None, request.FILES or None, member=member, user=request.user
    )
    error = None
    if request.method == "POST" and form.is_valid():
        document, error = run_service(
            form, lambda: services.document_add(member, actor=request.user, **form.cleaned_data)
        )
        if document is not None:
            messages.success(request, _("The document is in the repository."))
            return redirect("records:repository", slug=member.slug)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request, "records/document_form.html", {"form": form, "member": member}, status=status
    )


@in_member_time_zone
def compliance_panel(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_for(slug)
    version, results = compliance.run_checks(member)
    context = {
        "member": member,
        "forum": Forum.objects.filter(member=member).first(),
        "standards_version": version,
        "results": results,
        # Each plan is judged under its own rule set on its self-assessment.
        "plans": ActionPlan.objects.visible_to(request.user)
        .filter(member=member)
        .order_by("-period_start", "-pk"),
    }
    return render(request, "records/compliance.html", context)


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A repository file: published, and of a plan the visitor may see (or of no plan)."""
    document = get_object_or_404(
        RepositoryDocument.objects.published().filter(
            Q(plan__isnull=True) | Q(plan__in=ActionPlan.objects.visible_to(request.user))
        ),
        pk=pk,
    )
    return file_response(document.file)


def latest_documents_for_forum_page(request: HttpRequest, forum: Forum) -> dict:
    """The forum page's "Latest in the repository" (a forums.publications page hook)."""
    documents = (
        RepositoryDocument.objects.filter(member=forum.member)
        .published()
        .filter(Q(plan__isnull=True) | Q(plan__in=ActionPlan.objects.visible_to(request.user)))
        .select_related("plan")[:5]
    )
    return {
        "documents": list(documents),
        "repository_url": reverse("records:repository", args=[forum.member.slug]),
    }


def member_page_links(member: object) -> list[tuple[str, str]]:
    """The member page's links to its record (an organisations.member_links hook)."""
    return [
        *member_links(cast(Member, member)),
        (_("Open data"), reverse("opendata:index")),
    ]


def member_links(member: Member) -> list[tuple[str, str]]:
    """The forum navigation's links to the member's record (a forums.publications hook)."""
    return [
        (_("Repository"), reverse("records:repository", args=[member.slug])),
        (_("Compliance"), reverse("records:compliance", args=[member.slug])),
    ]
