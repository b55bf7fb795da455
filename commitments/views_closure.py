"""A plan's closure (issue #17): record a commitment's completion level, carry an unfinished
commitment into the successor plan, import the IRM's published assessments.

Views parse, authorize, call one service (commitments/closure.py) and respond.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ogp_portal.core.form_views import refusal_status, require, run_action, run_service
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from . import closure
from .forms_closure import CompletionForm, IrmImportForm
from .views import _commitment_for_change


def commitment_completion(request: AuthenticatedHttpRequest, ogp_id: str) -> HttpResponse:
    """The completion assessment form (the lead or the member's civil servants)."""
    commitment = _commitment_for_change(request, ogp_id, "commitments.assess_completion")
    initial = {
        "level": commitment.completion_level,
        "note": commitment.completion_note,
        "evidence_url": commitment.completion_evidence_url,
    }
    form = CompletionForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        result, error = run_service(
            form,
            lambda: closure.commitment_assess_completion(
                commitment, actor=request.user, **form.cleaned_data
            ),
        )
        if result is not None:
            messages.success(request, _("The completion level is on the record."))
            return redirect(commitment)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request,
        "commitments/completion_form.html",
        {"form": form, "commitment": commitment, "plan": commitment.plan},
        status=status,
    )


@require_POST
def commitment_carry_over(request: AuthenticatedHttpRequest, ogp_id: str) -> HttpResponse:
    """Carry the commitment into the member's next plan, then show the new commitment."""
    commitment = _commitment_for_change(request, ogp_id, "commitments.carry_over")
    new, _error = run_action(
        request, lambda: closure.commitment_carry_over(commitment, actor=request.user)
    )
    if new is None:
        return redirect(commitment)
    messages.success(
        request,
        _("Carried into the next plan as %(id)s.") % {"id": new.ogp_id},
    )
    return redirect(new)


def plan_irm_import(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    """Upload the IRM's published assessments for the plan's commitments (staff only)."""
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=plan_pk)
    require(request, "commitments.import_irm_assessments", plan)
    form = IrmImportForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        changed, error = run_service(
            form,
            lambda: closure.plan_import_irm_assessments(
                plan, actor=request.user, data=form.cleaned_data["file"].read()
            ),
        )
        if error is None:
            messages.success(
                request,
                ngettext(
                    "%(n)s commitment has new IRM assessments.",
                    "%(n)s commitments have new IRM assessments.",
                    changed or 0,
                )
                % {"n": changed or 0},
            )
            return redirect(plan)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request, "commitments/irm_import_form.html", {"form": form, "plan": plan}, status=status
    )
