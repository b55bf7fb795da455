"""Screens a consultation's civil servants use to set up and run a window: create and edit it,
publish its notice, add documents, guiding questions and offline events."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from consultations.choices import Channel
from consultations.forms_windows import (
    ConsultationForm,
    DocumentForm,
    OfflineEventForm,
    QuestionForm,
)
from consultations.models import Consultation
from consultations.services import offline as offline_services
from consultations.services import windows as services
from ogp_portal.core.form_views import PermissionRequiredMixin, ServiceFormMixin, run_action
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from .windows import ConsultationStaffMixin, consultation_for_staff, login_redirect

CONSULTATION_FIELDS = ("title", "kind", "audience", "description", "channels")


# --- creating and running a window ----------------------------------------------------------


class ConsultationCreateView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    template_name = "consultations/consultation_form.html"
    form_class = ConsultationForm
    permission_required = "consultations.add_consultation"
    # Its handlers run only once the permission check has passed: never for the anonymous.
    request: AuthenticatedHttpRequest

    def get_permission_object(self):
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["plan_pk"]
        )
        return self.plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tz": services.member_tz(self.plan)}

    def get_initial(self):
        return {"channels": [Channel.ONLINE]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in (*CONSULTATION_FIELDS, "opens_at",
                                                           "closes_at")}  # fmt: skip
        # A NoticeRuleError lands on the fields it is about (opens_at, closes_at).
        consultation, refused = self.call_service(
            form,
            lambda: services.consultation_save(self.plan, actor=self.request.user, **data),
        )
        if consultation is None:  # refused: the form again, with the reason
            return refused
        messages.success(
            self.request,
            _("The consultation is saved. Publish its notice when the timeline is final."),
        )
        return redirect(consultation)


class ConsultationUpdateView(ServiceFormMixin, ConsultationStaffMixin, FormView):
    request: AuthenticatedHttpRequest  # ConsultationStaffMixin lets only signed-in people in
    template_name = "consultations/consultation_form.html"
    form_class = ConsultationForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.consultation,
            "tz": services.member_tz(self.consultation.plan),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.consultation.plan, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in (*CONSULTATION_FIELDS, "opens_at",
                                                           "closes_at")}  # fmt: skip
        # The form never wrote to the instance (see ConsultationForm._post_clean); the
        # service gets a fresh copy so a refused save leaves nothing half-changed.
        stored = Consultation.objects.select_related("plan__member").get(pk=self.consultation.pk)
        _result, refused = self.call_service(
            form,
            lambda: services.consultation_save(
                stored.plan, actor=self.request.user, consultation=stored, **data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The consultation is saved."))
        return redirect(stored)


@require_POST
def consultation_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return login_redirect(request, get_object_or_404(Consultation, pk=pk))
    consultation = consultation_for_staff(request, pk, "consultations.change_consultation")
    _result, refused = run_action(
        request, lambda: services.consultation_publish_notice(consultation, actor=user)
    )
    if not refused:
        messages.success(
            request,
            _("The notice is public: people can now see the timeline and how to take part."),
        )
    return redirect(consultation)


class DocumentAddView(ServiceFormMixin, ConsultationStaffMixin, FormView):
    request: AuthenticatedHttpRequest  # ConsultationStaffMixin lets only signed-in people in
    template_name = "consultations/consultation_document_form.html"
    form_class = DocumentForm

    def form_valid(self, form):
        _result, refused = self.call_service(
            form,
            lambda: services.consultation_add_document(
                self.consultation,
                actor=self.request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The document is published with the consultation."))
        return redirect(self.consultation)


class QuestionAddView(ServiceFormMixin, ConsultationStaffMixin, FormView):
    request: AuthenticatedHttpRequest  # ConsultationStaffMixin lets only signed-in people in
    template_name = "consultations/consultation_question_form.html"
    form_class = QuestionForm

    def form_valid(self, form):
        _result, refused = self.call_service(
            form,
            lambda: services.question_add(
                self.consultation, actor=self.request.user, text=form.cleaned_data["text"]
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The question is added."))
        return redirect(self.consultation)


class OfflineEventAddView(ServiceFormMixin, ConsultationStaffMixin, FormView):
    request: AuthenticatedHttpRequest  # ConsultationStaffMixin lets only signed-in people in
    template_name = "consultations/consultation_offline_form.html"
    form_class = OfflineEventForm

    def form_valid(self, form):
        data = form.cleaned_data
        _result, refused = self.call_service(
            form,
            lambda: offline_services.offline_event_record(
                self.consultation,
                actor=self.request.user,
                channel=data["channel"],
                held_on=data["held_on"],
                place=data["place"],
                participants_by_sector=form.participants_by_sector(),
                summary=data["summary"],
                minutes=data.get("minutes"),
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The event is recorded."))
        return redirect(self.consultation)
