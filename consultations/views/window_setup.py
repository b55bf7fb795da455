"""Screens a consultation's civil servants use to set up and run a window: create and edit it,
publish its notice, add documents, guiding questions and offline events."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

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
from ogp_portal.core.errors import DomainError
from plans.models import ActionPlan

from .windows import ConsultationStaffMixin, consultation_for_staff, login_redirect

CONSULTATION_FIELDS = ("title", "kind", "audience", "description", "channels")


# --- creating and running a window ----------------------------------------------------------


def _apply_notice_errors(form, error: services.NoticeRuleError) -> None:
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, message)


class ConsultationCreateView(PermissionRequiredMixin, FormView):
    template_name = "consultations/consultation_form.html"
    form_class = ConsultationForm
    permission_required = "consultations.add_consultation"

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
        try:
            consultation = services.consultation_save(self.plan, actor=self.request.user, **data)
        except services.NoticeRuleError as error:
            _apply_notice_errors(form, error)
            return self.form_invalid(form)
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The consultation is saved. Publish its notice when the timeline is final."),
        )
        return redirect(consultation)


class ConsultationUpdateView(ConsultationStaffMixin, FormView):
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
        try:
            services.consultation_save(
                stored.plan, actor=self.request.user, consultation=stored, **data
            )
        except services.NoticeRuleError as error:
            _apply_notice_errors(form, error)
            return self.form_invalid(form)
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The consultation is saved."))
        return redirect(stored)


@require_POST
def consultation_notice(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request, get_object_or_404(Consultation, pk=pk))
    consultation = consultation_for_staff(request, pk, "consultations.change_consultation")
    try:
        services.consultation_publish_notice(consultation, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The notice is public: people can now see the timeline and how to take part."),
        )
    return redirect(consultation)


class DocumentAddView(ConsultationStaffMixin, FormView):
    template_name = "consultations/consultation_document_form.html"
    form_class = DocumentForm

    def form_valid(self, form):
        services.consultation_add_document(
            self.consultation,
            actor=self.request.user,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        messages.success(self.request, _("The document is published with the consultation."))
        return redirect(self.consultation)


class QuestionAddView(ConsultationStaffMixin, FormView):
    template_name = "consultations/consultation_question_form.html"
    form_class = QuestionForm

    def form_valid(self, form):
        try:
            services.question_add(
                self.consultation, actor=self.request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The question is added."))
        return redirect(self.consultation)


class OfflineEventAddView(ConsultationStaffMixin, FormView):
    template_name = "consultations/consultation_offline_form.html"
    form_class = OfflineEventForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            offline_services.offline_event_record(
                self.consultation,
                actor=self.request.user,
                channel=data["channel"],
                held_on=data["held_on"],
                place=data["place"],
                participants_by_sector=form.participants_by_sector(),
                summary=data["summary"],
                minutes=data.get("minutes"),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The event is recorded."))
        return redirect(self.consultation)
