"""A commitment's team (lead agency and civil-society partners) and civil society's own
assessments of it, beside the government's (shadow monitoring)."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import (
    PermissionRequiredMixin,
    ServiceFormMixin,
    run_action,
)
from ogp_portal.organisations.rules import organisations_to_act_for
from ogp_portal.users.types import AuthenticatedHttpRequest

from . import services
from .choices import MilestoneStatus
from .forms import AssessmentForm, PartnerForm
from .models import Commitment, CommitmentPartner, ShadowAssessment
from .views import _commitment_for_change, _visible_commitment


@require_POST
def partner_add(request: AuthenticatedHttpRequest, ogp_id: str) -> HttpResponse:
    """Put a civil-society organisation on the team (civil servants and the lead)."""
    commitment = _commitment_for_change(request, ogp_id, "commitments.manage_team")
    form = PartnerForm(request.POST, commitment=commitment)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation to add to the team."))
        return redirect(f"{commitment.get_absolute_url()}#team-heading")
    organisation = form.cleaned_data["organisation"]
    _partner, error = run_action(
        request,
        lambda: services.commitment_partner_add(
            commitment, actor=request.user, organisation=organisation
        ),
    )
    if error is None:
        messages.success(
            request, _("%(org)s is on the commitment's team.") % {"org": organisation.name}
        )
    return redirect(f"{commitment.get_absolute_url()}#team-heading")


@require_POST
def partner_remove(request: AuthenticatedHttpRequest, ogp_id: str, pk: int) -> HttpResponse:
    commitment = _commitment_for_change(request, ogp_id, "commitments.manage_team")
    partner = get_object_or_404(
        CommitmentPartner.objects.select_related("organisation", "commitment__plan"),
        pk=pk,
        commitment=commitment,
    )
    _result, error = run_action(
        request, lambda: services.commitment_partner_remove(partner, actor=request.user)
    )
    if error is None:
        messages.success(
            request,
            _("%(org)s is no longer on the commitment's team.") % {"org": partner.organisation},
        )
    return redirect(f"{commitment.get_absolute_url()}#team-heading")


def assessments_of(commitment: Commitment) -> list[ShadowAssessment]:
    """The commitment's civil-society assessments, newest first, ready to show (one query)."""
    assessments = list(commitment.shadow_assessments.select_related("organisation"))
    for assessment in assessments:
        assessment.commitment = commitment  # `differs` compares with it; no query per row
    return assessments


class MonitoringView(DetailView):
    """Public: the government's account of the commitment beside civil society's."""

    template_name = "commitments/monitoring.html"
    context_object_name = "commitment"

    def get_object(self, queryset=None):
        return _visible_commitment(self.request, self.kwargs["ogp_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitment, user = self.object, self.request.user
        can_assess = user.has_perm("commitments.publish_assessment", commitment)
        milestones = list(commitment.milestones.all())
        context.update(
            plan=commitment.plan,
            milestones=milestones,
            complete_count=sum(m.status == MilestoneStatus.COMPLETE for m in milestones),
            latest_update=commitment.progress_updates.select_related("milestone").first(),
            assessments=assessments_of(commitment),
            can_assess=can_assess,
            form=(
                AssessmentForm(organisations=_assessing_organisations(user, commitment))
                if can_assess
                else None
            ),
        )
        return context


def _assessing_organisations(user, commitment: Commitment):
    return organisations_to_act_for(user, commitment.plan.member_id).order_by("name")


class AssessmentPublishView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    """A verified CSO's representative publishes (or replaces) their organisation's
    assessment of a public commitment."""

    # The permission needs a CSO membership, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = AssessmentForm
    template_name = "commitments/assessment_form.html"
    permission_required = "commitments.publish_assessment"

    def get_permission_object(self):
        self.commitment = _visible_commitment(self.request, self.kwargs["ogp_id"])
        return self.commitment

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": _assessing_organisations(self.request.user, self.commitment),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(commitment=self.commitment, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        _result, refused = self.call_service(
            form,
            lambda: services.assessment_publish(
                self.commitment, actor=self.request.user, organisation=organisation, **data
            ),
        )
        if refused:
            return refused
        messages.success(
            self.request,
            _("The assessment of %(org)s is published.") % {"org": organisation.name},
        )
        return redirect("commitments:commitment-monitoring", self.commitment.ogp_id)


def assessment_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An assessment's evidence file, for whoever may see the commitment."""
    assessment = get_object_or_404(
        ShadowAssessment.objects.filter(commitment__in=Commitment.objects.visible_to(request.user)),
        pk=pk,
    )
    return file_response(assessment.evidence_file)
