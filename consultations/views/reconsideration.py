"""Reconsideration of a response: the input's author asks (once, within the set days); the
plan's civil servants answer in public. The public page of a request is
/plans/<plan>/inputs/<entry>/reconsideration/."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from consultations.choices import ResponseDecision
from consultations.models import InputEntry, ReconsiderationOutcome, ReconsiderationRequest
from consultations.services.reconsideration import (
    reconsideration_answer,
    reconsideration_deadline,
    reconsideration_refusal,
    reconsideration_request,
)
from ogp_portal.core.form_views import require, run_service
from plans.models import ActionPlan


class ReconsiderationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the decision be reconsidered?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReconsiderationAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReconsiderationOutcome.choices, widget=forms.RadioSelect
    )
    decision = forms.ChoiceField(
        label=_("New decision (when changed)"),
        choices=[("", "—"), *ResponseDecision.choices],
        required=False,
    )
    answer = forms.CharField(
        label=_("Public answer, with the reasoning"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _entry(request: HttpRequest, plan_pk: int, pk: int) -> InputEntry:
    """A public entry of a plan the visitor may see (hidden input is not found)."""
    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user), pk=plan_pk)
    return get_object_or_404(
        InputEntry.objects.public().select_related(
            "plan__member", "response", "reconsideration__answered_by"
        ),
        plan=plan,
        pk=pk,
    )


def _context(request: HttpRequest, entry: InputEntry, **extra: object) -> dict:
    asked = getattr(entry, "reconsideration", None)
    user = request.user
    may_ask = user.has_perm("consultations.request_reconsideration", entry)
    return {
        "entry": entry,
        "plan": entry.plan,
        "reconsideration": asked,
        "deadline": reconsideration_deadline(entry),
        "may_ask": may_ask,
        "refusal": reconsideration_refusal(entry) if may_ask else "",
        "may_answer": asked is not None
        and not asked.is_answered
        and user.has_perm("consultations.answer_reconsideration", entry),
        **extra,
    }


def reconsideration_view(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    """The public record of a reconsideration; its author's form to ask (GET shows it, POST
    asks)."""
    entry = _entry(request, plan_pk, pk)
    form = ReconsiderationForm()
    status = 200
    if request.method == "POST":
        require(request, "consultations.request_reconsideration", entry)
        form = ReconsiderationForm(request.POST)
        if form.is_valid():
            user = request.user
            asked, error = run_service(
                form,
                lambda: reconsideration_request(
                    entry,
                    actor=user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                ),
            )
            if asked is not None:
                messages.success(
                    request, _("Your request is sent; the answer will be public here.")
                )
                return redirect(request.path)
        status = 400
    return render(
        request,
        "consultations/reconsideration.html",
        _context(request, entry, form=form, answer_form=ReconsiderationAnswerForm()),
        status=status,
    )


def reconsideration_answer_view(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    """Staff answer a reconsideration (POST only)."""
    entry = _entry(request, plan_pk, pk)
    require(request, "consultations.answer_reconsideration", entry)
    asked = get_object_or_404(ReconsiderationRequest, entry=entry)
    form = ReconsiderationAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        answered, _error = run_service(
            form,
            lambda: reconsideration_answer(
                asked,
                actor=user,  # type: ignore[arg-type]
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
                decision=form.cleaned_data["decision"],
            ),
        )
        if answered is not None:
            messages.success(request, _("The answer is published."))
            return redirect("reconsideration:reconsideration", plan_pk=plan_pk, pk=pk)
    return render(
        request,
        "consultations/reconsideration.html",
        _context(request, entry, form=ReconsiderationForm(), answer_form=form),
        status=400 if request.method == "POST" else 200,
    )
