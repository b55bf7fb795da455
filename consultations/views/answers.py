"""Answers to guiding questions: a participant answers on the consultation page; civil servants
select similar answers and publish one reasoned response to them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from consultations.forms_windows import AnswerForm, AnswersRespondForm
from consultations.models import Answer, GuidingQuestion
from consultations.services import answers as answer_services
from consultations.services import windows as services
from ogp_portal.core.form_views import ServiceFormMixin, refusal_status, run_service
from ogp_portal.users.types import AuthenticatedHttpRequest

from .windows import (
    ConsultationStaffMixin,
    login_redirect,
    render_consultation_detail,
    visible_consultations,
)

# --- answering ------------------------------------------------------------------------------


@require_POST
def answer_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a guiding question. Refusals re-render the consultation page with the message
    and the typed text kept: 409 when the window is not open (the request is fine, the
    consultation's state does not allow it now), 403 when the person may not take part, 400
    when the text itself is not acceptable."""
    question = get_object_or_404(
        GuidingQuestion.objects.filter(
            consultation__in=visible_consultations(request.user)
        ).select_related("consultation__plan__member"),
        pk=pk,
    )
    consultation = question.consultation
    user = request.user
    if not user.is_authenticated:
        return login_redirect(request, consultation)
    form = AnswerForm(request.POST, auto_id=f"id_answer_{question.pk}_%s")

    if not form.is_valid():
        return render_consultation_detail(
            request, consultation, posted_question=question.pk, posted_form=form, status=400
        )
    result, error = run_service(
        form,
        lambda: answer_services.answer_submit(question, actor=user, body=form.cleaned_data["body"]),
    )
    if result is None:  # refused: run_service gives the refusal instead
        return render_consultation_detail(
            request,
            consultation,
            posted_question=question.pk,
            posted_form=form,
            status=_answer_refusal_status(error),
        )
    _answer, created = result
    if created:
        messages.success(request, _("Thank you: your answer is published."))
    else:
        messages.info(request, _("We already have this answer from you; it was not sent twice."))
    return redirect(f"{consultation.get_absolute_url()}#question-{question.pk}")


def _answer_refusal_status(error: Exception | None) -> int:
    """409 when the window is not open, 403 when the person may not take part, else 400."""
    if isinstance(error, services.WindowClosed):
        return 409
    if isinstance(error, answer_services.NotAllowedToTakePart):
        return 403
    return refusal_status(error)


# --- responding -----------------------------------------------------------------------------


class AnswersRespondView(ServiceFormMixin, ConsultationStaffMixin, FormView):
    """Select similar answers to one question and publish one reasoned response to them."""

    template_name = "consultations/consultation_respond_form.html"
    form_class = AnswersRespondForm
    request: AuthenticatedHttpRequest  # ConsultationStaffMixin lets only signed-in people in

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "consultation": self.consultation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        selected = {str(v) for v in (form["answers"].value() or [])}
        pending = list(
            Answer.objects.filter(question__consultation=self.consultation, response__isnull=True)
            .select_related("question", "organisation")
            .order_by("question__position", "question_id", "created_at", "pk")
        )
        groups: dict[int, dict] = {}
        for answer in pending:
            # Read by the template (the box stays ticked after a refusal); not a model field.
            answer.checked = str(answer.pk) in selected  # type: ignore[attr-defined]
            group = groups.setdefault(
                answer.question_id, {"question": answer.question, "answers": []}
            )
            group["answers"].append(answer)
        context["groups"] = list(groups.values())
        return context

    def form_valid(self, form):
        _response, refused = self.call_service(
            form,
            lambda: answer_services.answers_respond(
                self.consultation,
                actor=self.request.user,
                answers=form.cleaned_data["answers"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The response is published with the answers."))
        return redirect(f"{self.consultation.get_absolute_url()}#answers")
