"""Proposal pages: write (draft, submit), read, list, find similar ones, support, review."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView

from consultations.choices import DECISIONS, ProposalStatus
from consultations.forms_proposals import DecisionForm, ProposalFilterForm, ProposalForm
from consultations.models import Consultation, Proposal, ProposalAttachment
from consultations.pagination import BoundedPaginator
from consultations.proposal_list_sql import ProposalListPaginator, consultation_with_plan
from consultations.selectors import drafts_of
from consultations.services.proposals import (
    proposal_decide,
    proposal_save,
    proposal_start_review,
    similar_proposals,
    support_add,
    support_remove,
)
from consultations.templatetags.proposal_list_tags import ROW_FIELDS
from ogp_portal.core import list_downloads, page_cache
from ogp_portal.core.form_views import PermissionRequiredMixin, ServiceFormMixin, run_action
from ogp_portal.users.types import AuthenticatedHttpRequest

from .proposal_page import (
    render_proposal_detail,
    visible_consultation,
    visible_proposal,
    window_problem,
)

PROPOSALS_PER_PAGE = 25
OGP_VALUE_FIELDS = (
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
)


class ProposalFormView(ServiceFormMixin, LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Write a new proposal (consultation pk) or finish one's own draft (pk)."""

    form_class = ProposalForm
    template_name = "consultations/proposal_form.html"
    permission_required = "consultations.take_part"
    request: AuthenticatedHttpRequest  # LoginRequiredMixin

    def get_permission_object(self):
        if "pk" in self.kwargs:
            self.proposal = get_object_or_404(
                Proposal.objects.select_related("consultation__plan__member"),
                pk=self.kwargs["pk"],
                author_id=self.request.user.pk,
                status=ProposalStatus.DRAFT,
            )
            self.consultation = self.proposal.consultation
        else:
            self.proposal = None
            self.consultation = visible_consultation(self.request, self.kwargs["consultation_pk"])
        return self.consultation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            instance=self.proposal,
            consultation=self.consultation,
            user=self.request.user,
            existing_attachments=self.proposal.attachments.count() if self.proposal else 0,
        )
        # A fresh token per form shown: a repeated POST of that form carries the same one.
        kwargs["initial"]["submission_token"] = (
            self.proposal.submission_token if self.proposal else uuid.uuid4()
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        similar = kwargs.get("similar")
        if similar is None and self.proposal:
            similar = similar_proposals(
                self.consultation, self.proposal.title, exclude_pk=self.proposal.pk
            )
        form = context["form"]
        context.update(
            ogp_value_fields=[form[name] for name in OGP_VALUE_FIELDS],
            consultation=self.consultation,
            plan=self.consultation.plan,
            proposal=self.proposal,
            attachments=list(self.proposal.attachments.all()) if self.proposal else [],
            similar=similar,
            window_problem=window_problem(self.consultation),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if "check_similar" in request.POST:
            return self._show_similar(form)
        return super().post(request, *args, **kwargs)

    def _show_similar(self, bound_form):
        """Re-render with what was typed (no errors yet) and the list of similar proposals."""
        data = bound_form.data
        initial = {}
        for name, field in bound_form.fields.items():
            if name == "attachments":
                continue
            if isinstance(field, forms.BooleanField):
                initial[name] = name in data
            elif name in data:
                initial[name] = data.get(name)
        form = self.form_class(**{**self.get_form_kwargs(), "data": None, "files": None})
        form.initial.update(initial)
        similar = similar_proposals(
            self.consultation,
            data.get("title", ""),
            exclude_pk=self.proposal.pk if self.proposal else None,
        )
        return self.render_to_response(
            self.get_context_data(form=form, similar=similar, checked_similar=True)
        )

    def form_valid(self, form):
        user = self.request.user
        submit = self.request.POST.get("action") == "submit"
        token = form.cleaned_data["submission_token"]
        attachments = form.cleaned_data["attachments"]
        proposal = Proposal.objects.get(pk=self.proposal.pk) if self.proposal else None
        if proposal is None:
            existing = Proposal.objects.filter(submission_token=token, author=user).first()
            if existing is not None:
                # The same form sent again (double click, back button): never a second
                # proposal, and never the same files twice.
                attachments = ()
                if existing.status != ProposalStatus.DRAFT:
                    messages.info(self.request, _("This proposal was already submitted."))
                    return redirect(existing)
                proposal = existing
        saved, refused = self.call_service(
            form,
            lambda: proposal_save(
                self.consultation,
                actor=user,
                proposal=proposal,
                submit=submit,
                token=token,
                organisation=form.cleaned_data["on_behalf_of"],
                attachments=attachments,
                **form.service_fields(),
            ),
        )
        if saved is None:  # refused: the form again, with the reason
            return refused
        if saved.status == ProposalStatus.DRAFT:
            messages.success(
                self.request,
                _(
                    "Your draft is saved. Only you can see it; finish and submit it before "
                    "the consultation closes."
                ),
            )
            return redirect("consultations:proposal-edit", saved.pk)
        messages.success(
            self.request,
            _("Your proposal %(ref)s is submitted. Thank you!") % {"ref": saved.reference},
        )
        return redirect(saved)


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_proposal_detail(request, visible_proposal(request, pk))


def listed_consultation(request: HttpRequest, pk: int) -> Consultation:
    """visible_consultation(request, pk) in a query a tenth as costly to build: the
    consultation by its key, its visibility asked of the loaded row (Consultation.is_visible_to,
    the same rule as the queryset's visible_to). Building the visibility subquery was a fifth
    of the proposal list's CPU."""
    consultation = consultation_with_plan(pk)  # with its plan and member, as select_related
    if consultation is None or not consultation.is_visible_to(request.user):
        raise Http404
    return consultation


def proposal_list(request: HttpRequest, consultation_pk: int) -> HttpResponseBase:
    """Published proposals of one consultation, filtered and paginated; the viewer's drafts."""
    consultation = listed_consultation(request, consultation_pk)
    page_cache.valid_until(request, consultation.opens_at, consultation.closes_at)
    filters = ProposalFilterForm(request.GET or None)
    proposals = consultation.proposals.published()
    status = query = ""
    if filters.is_valid():
        status, query = filters.cleaned_data["status"], filters.cleaned_data["q"]
        if status:
            proposals = proposals.filter(status=status)
        if query:
            proposals = proposals.filter(title__icontains=query)
    fmt = list_downloads.wanted_format(request)
    if fmt is not None:
        # The same filters as the page, every match, streamed.
        rows = (
            (
                proposal.reference,
                proposal.title,
                proposal.organisation.name if proposal.organisation else "",
                proposal.get_status_display(),
                proposal.response.get_decision_display()
                if proposal.response and proposal.response.published_at
                else "",
                proposal.submitted_at.isoformat() if proposal.submitted_at else "",
                request.build_absolute_uri(proposal.get_absolute_url()),
            )
            for proposal in proposals.select_related("organisation", "author", "response")
            .order_by("-submitted_at", "-pk")
            .iterator(chunk_size=list_downloads.CHUNK)
        )
        header = ("reference", "title", "organisation", "status", "decision", "submitted_at", "url")
        return list_downloads.stream_list(fmt, f"proposals-{consultation.pk}", header, rows)
    # Newest first over the index; a title search cannot use the page index, so it shows
    # its first matches only (consultations/pagination.py).
    order = ("-submitted_at", "-pk")
    # Every filter the list has, for the page index's key: cheaper than the SQL.
    index_key = f"proposals:{consultation.pk}:{status}"
    paginator: BoundedPaginator
    if query:
        paginator = BoundedPaginator(
            proposals,
            PROPOSALS_PER_PAGE,
            order=order,
            indexable=False,
            index_key=index_key,
            # Only what a row of the list shows, as named tuples (proposal_list_tags.
            # ROW_FIELDS): a proposal's texts and its author's account are most of each row's
            # bytes, and none of them are on this page; model instances cost more to build
            # than the rows to read.
            read=lambda rows: rows.values_list(*ROW_FIELDS, named=True),
        )
    else:
        # The same rows in SQL written once (proposal_list_sql): the ORM's statement cost
        # more CPU to build than the rest of the page.
        paginator = ProposalListPaginator(
            proposals,
            PROPOSALS_PER_PAGE,
            consultation_id=consultation.pk,
            status=status,
            order=order,
            index_key=index_key,
        )
    page = paginator.get_page(request.GET.get("page"))
    drafts = drafts_of(request.user, consultation)
    return render(
        request,
        "consultations/proposal_list.html",
        {
            "consultation": consultation,
            "plan": consultation.plan,
            "filters": filters,
            "page_obj": page,
            "proposals": page.object_list,
            "drafts": drafts,
            "download_links": list_downloads.download_links(request),
            "window_problem": window_problem(consultation),
            "may_take_part": request.user.has_perm("consultations.take_part", consultation),
        },
    )


@require_GET
def proposal_similar(request: HttpRequest, consultation_pk: int) -> HttpResponse:
    """An HTML fragment: up to five published proposals similar to ?q= (a title)."""
    consultation = visible_consultation(request, consultation_pk)
    query = request.GET.get("q", "")[:250]
    return render(
        request,
        "consultations/proposal_similar.html",
        {"similar": similar_proposals(consultation, query), "checked_similar": bool(query)},
    )


@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support or withdraw support. The button says which (action=add|remove), so a double
    click does the same thing twice instead of undoing itself."""
    proposal = visible_proposal(request, pk)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(proposal.get_absolute_url())
    if request.POST.get("action") == "remove":
        _removed, refused = run_action(request, lambda: support_remove(proposal, actor=user))
        if not refused:
            messages.success(request, _("You no longer support this proposal."))
    else:
        _added, refused = run_action(request, lambda: support_add(proposal, actor=user))
        if not refused:
            messages.success(request, _("You support this proposal."))
    return redirect(proposal.get_absolute_url() + "#support")


def proposal_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Download a proposal's file, with the proposal's own visibility (drafts stay private)."""
    attachment = get_object_or_404(ProposalAttachment, pk=pk)
    visible_proposal(request, attachment.proposal_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


class ProposalReviewView(ServiceFormMixin, LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """The member's civil servants put a proposal under review and decide, with a reason."""

    form_class = DecisionForm
    template_name = "consultations/proposal_review.html"
    permission_required = "consultations.review_proposal"
    request: AuthenticatedHttpRequest  # LoginRequiredMixin

    def get_permission_object(self):
        self.proposal = get_object_or_404(
            Proposal.objects.published().select_related(
                "consultation__plan__member", "organisation", "author", "response", "merged_into"
            ),
            pk=self.kwargs["pk"],
        )
        return self.proposal

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "proposal": self.proposal}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposal=self.proposal,
            consultation=self.proposal.consultation,
            decided=self.proposal.status in DECISIONS,
            can_start=self.proposal.status == ProposalStatus.SUBMITTED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "start_review":
            _proposal, refused = run_action(
                request,
                lambda: proposal_start_review(
                    Proposal.objects.get(pk=self.proposal.pk), actor=request.user
                ),
            )
            if not refused:
                messages.success(request, _("The proposal is now under review."))
            return redirect("consultations:proposal-review", self.proposal.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        proposal, refused = self.call_service(
            form,
            lambda: proposal_decide(
                self.proposal,
                actor=self.request.user,
                decision=data["decision"],
                reason=data["reason"],
                merged_into=data.get("merged_into"),
                commitments=data.get("commitments") or (),
            ),
        )
        if proposal is None:  # refused: the form again, with the reason
            return refused
        messages.success(
            self.request,
            _("The decision and its reasoned response are published; the proposer is notified."),
        )
        return redirect(proposal)
