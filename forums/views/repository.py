"""The member's public repository and the compliance panel."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import compliance, services
from forums.filters import RepositoryFilter
from forums.forms import DocumentForm
from forums.models import Forum, RepositoryDocument
from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan

from .base import in_member_time_zone


def _member_for(slug: str) -> Member:
    member = get_object_or_404(Member, slug=slug)
    timezone.activate(member.time_zone)
    return member


@in_member_time_zone
def repository(request: HttpRequest, slug: str, plan_pk: int | None = None) -> HttpResponse:
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
    page = Paginator(doc_filter.qs, 25).get_page(request.GET.get("page"))
    context = {
        "member": member,
        "forum": Forum.objects.filter(member=member).first(),
        "plan": plan,
        "filter": doc_filter,
        "page_obj": page,
        "last_updated": compliance.repository_last_updated(member),
        "can_add": request.user.has_perm("forums.add_document", member),
    }
    return render(request, "forums/repository.html", context)


@in_member_time_zone
def document_create(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_for(slug)
    require(request, "forums.add_document", member)
    form = DocumentForm(
        request.POST or None, request.FILES or None, member=member, user=request.user
    )
    error = None
    if request.method == "POST" and form.is_valid():
        _result, error = run_service(
            form, lambda: services.document_add(member, actor=request.user, **form.cleaned_data)
        )
        if error is None:
            messages.success(request, _("The document is in the repository."))
            return redirect("forums:repository", slug=member.slug)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request, "forums/document_form.html", {"form": form, "member": member}, status=status
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
    }
    return render(request, "forums/compliance.html", context)


def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A repository file: published, and of a plan the visitor may see (or of no plan)."""
    document = get_object_or_404(
        RepositoryDocument.objects.published().filter(
            Q(plan__isnull=True) | Q(plan__in=ActionPlan.objects.visible_to(request.user))
        ),
        pk=pk,
    )
    return file_response(document.file)
