"""Consultation windows: the public list, detail and report pages, answers to guiding
questions, and the screens civil servants use to set up and run a window."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from consultations.choices import Channel, WindowState
from consultations.forms_windows import (
    AnswerForm,
    AnswersRespondForm,
    ConsultationForm,
    DocumentForm,
    OfflineEventForm,
    QuestionForm,
)
from consultations.models import (
    Answer,
    Consultation,
    ConsultationDocument,
    GuidingQuestion,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
    ReminderSignup,
)
from consultations.pagination import BoundedPaginator
from consultations.selectors import consultation_figures_for_report
from consultations.services import answers as answer_services
from consultations.services import offline as offline_services
from consultations.services import windows as services
from ogp_portal.core import page_cache
from ogp_portal.core.errors import DomainError
from ogp_portal.core.files import file_response
from ogp_portal.core.models import Delivery
from ogp_portal.core.notifications import deliveries_for
from ogp_portal.core.spreadsheets import csv_stream
from plans.models import ActionPlan

# The detail page shows the first proposals and answers; the report lists every proposal
# (paginated) and every answer.
PROPOSALS_SHOWN = 20
ANSWERS_SHOWN = 50
# Above this the detail page says "more than 10,000 proposals": counting stops there, so the
# page costs the same with 20,000 or 200,000 (the report and the proposal list give the total).
PROPOSAL_COUNT_EXACT_UP_TO = 10_000
CONSULTATION_FIELDS = ("title", "kind", "audience", "description", "channels")
# The notification kind of the "closes soon" reminders (consultations/reminders.py).
CLOSING_KIND = "consultation.closing"
OPENED_KIND = "consultation.opened"


# --- helpers --------------------------------------------------------------------------------


def _local(moment, tz) -> str:
    """An instant as the member's wall-clock time with its zone: "2026-12-01 09:00 CET"."""
    if moment is None:
        return ""
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M %Z")


def _link(obj) -> str | None:
    """obj.get_absolute_url(), or None while the page it points to does not exist (the
    proposal pages are built separately); a missing link must not break this page."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


def _optional_url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _window(consultation: Consultation) -> dict:
    """What every page says about the window, in the member's time zone."""
    tz = services.member_tz(consultation.plan)
    state = consultation.window_state()
    return {
        "state": state,
        "state_label": WindowState(state).label,
        "opens": _local(consultation.opens_at, tz),
        "closes": _local(consultation.closes_at, tz),
        "notice": _local(consultation.notice_published_at, tz),
        "zone": str(tz),
    }


def _channel_labels(codes) -> list[str]:
    labels = dict(Channel.choices)
    return [str(labels.get(code, code)) for code in codes]


def _visible(user):
    return Consultation.objects.visible_to(user).select_related("plan__member")


def _consultation_for_staff(request: HttpRequest, pk: int, perm: str) -> Consultation:
    """The consultation if `request.user` holds `perm` on it. Signed-in people without it get
    403 for a consultation they can see and 404 for one they cannot (drafts never leak)."""
    consultation = get_object_or_404(Consultation.objects.select_related("plan__member"), pk=pk)
    if not request.user.has_perm(perm, consultation):
        if not _visible(request.user).filter(pk=pk).exists():
            raise Http404
        raise PermissionDenied
    return consultation


class ConsultationStaffMixin(PermissionRequiredMixin):
    """Screens for the consultation's civil servants: anonymous → sign in, others → 403 (or
    404 when they cannot even see the consultation)."""

    permission_required = "consultations.change_consultation"

    def get_permission_object(self):
        self.consultation = get_object_or_404(
            Consultation.objects.select_related("plan__member"), pk=self.kwargs["pk"]
        )
        return self.consultation

    def handle_no_permission(self):
        user = self.request.user
        if user.is_authenticated and not _visible(user).filter(pk=self.consultation.pk).exists():
            raise Http404
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            consultation=self.consultation, window=_window(self.consultation), **kwargs
        )


def _login_redirect(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    return redirect_to_login(consultation.get_absolute_url())


# --- list and detail ------------------------------------------------------------------------


class ConsultationListView(ListView):
    paginate_by = 25
    template_name = "consultations/consultation_list.html"

    def get_queryset(self):
        return _visible(self.request.user).order_by("-opens_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for consultation in context["page_obj"].object_list:
            consultation.window = _window(consultation)
            page_cache.valid_until(self.request, consultation.opens_at, consultation.closes_at)
        context["plannable_plans"] = self._plannable_plans()
        return context

    def _plannable_plans(self):
        """Plans the person may open a consultation for (civil servants only)."""
        from ogp_portal.organisations.access import access_for
        from ogp_portal.organisations.choices import Role

        member_ids = {m for m, role in access_for(self.request.user).member_roles
                      if role == Role.CIVIL_SERVANT}  # fmt: skip
        if not member_ids:
            return []
        return list(
            ActionPlan.objects.filter(member_id__in=member_ids)
            .select_related("member")
            .order_by("-period_start")[:10]
        )


def _participation(request: HttpRequest, consultation: Consultation, window: dict) -> str:
    """Why the person cannot answer now, as one sentence; "" when they can."""
    if window["state"] == WindowState.SCHEDULED:
        return _("This consultation opens on %(when)s.") % {"when": window["opens"]}
    if window["state"] == WindowState.CLOSED:
        return _("This consultation closed on %(when)s.") % {"when": window["closes"]}
    return answer_services.participation_refusal(request.user, consultation)


def _render_detail(
    request: HttpRequest,
    consultation: Consultation,
    *,
    posted_question: int | None = None,
    posted_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The consultation page; after a refused answer it is shown again with the message and
    the typed text in that question's form."""
    user = request.user
    window = _window(consultation)
    questions = list(
        consultation.questions.annotate(answer_count=Count("answers")).prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("response", "organisation").order_by(
                    "created_at", "pk"
                )[:ANSWERS_SHOWN],
                to_attr="shown_answers",
            )
        )
    )
    group_sizes = dict(
        ReasonedResponse.objects.filter(consultation=consultation, answers__isnull=False)
        .annotate(n=Count("answers"))
        .values_list("pk", "n")
    )
    for question in questions:
        if question.pk == posted_question and posted_form is not None:
            question.form = posted_form
        else:
            question.form = AnswerForm(auto_id=f"id_answer_{question.pk}_%s")
        for answer in question.shown_answers:
            answer.group_size = group_sizes.get(answer.response_id, 0)
    # Newest first over the proposal_published_order index, which also serves the count.
    published = (
        Proposal.objects.published()
        .filter(consultation=consultation)
        .order_by("-submitted_at", "-pk")
    )
    proposals = list(published.select_related("response", "organisation")[:PROPOSALS_SHOWN])
    for proposal in proposals:
        proposal.url = _link(proposal)
    proposal_count = len(proposals)
    if proposal_count == PROPOSALS_SHOWN:
        proposal_count = published[: PROPOSAL_COUNT_EXACT_UP_TO + 1].count()
    refusal = _participation(request, consultation, window)
    can_change = user.has_perm("consultations.change_consultation", consultation)
    context = {
        "consultation": consultation,
        "plan": consultation.plan,
        "window": window,
        "channels": _channel_labels(consultation.channels),
        "documents": list(consultation.documents.all()),
        "questions": questions,
        "answers_shown": ANSWERS_SHOWN,
        "can_answer": not refusal,
        "refusal": refusal,
        "login_url": f"{reverse('account_login')}?next={consultation.get_absolute_url()}",
        "proposals": proposals,
        "proposal_count": min(proposal_count, PROPOSAL_COUNT_EXACT_UP_TO),
        "proposal_count_is_capped": proposal_count > PROPOSAL_COUNT_EXACT_UP_TO,
        "proposal_list_url": _optional_url("consultations:proposal-list", consultation.pk),
        "offline_events": list(consultation.offline_events.all()),
        "can_change": can_change,
        # Following: told when it opens (while scheduled) and before it closes.
        "reminder_offered": window["state"] in (WindowState.SCHEDULED, WindowState.OPEN),
        "reminder_set": user.is_authenticated
        and window["state"] in (WindowState.SCHEDULED, WindowState.OPEN)
        and _is_followed(consultation, user),
    }
    if context["reminder_offered"] and user.is_authenticated:
        context["closing_emails_on"] = _emails_on(user, CLOSING_KIND)
        if window["state"] == WindowState.SCHEDULED:
            context["opening_emails_on"] = _emails_on(user, OPENED_KIND)
    return render(request, "consultations/consultation_detail.html", context, status=status)


def _emails_on(user, kind: str) -> bool:
    """Whether the person gets this kind by e-mail (at once or in the daily summary), so
    following promises an e-mail only when one will come (one query)."""
    return deliveries_for([user.pk], kind)[user.pk] != Delivery.OFF


def _is_followed(consultation: Consultation, user) -> bool:
    """Read from the detail query's annotation when there is one (no extra query)."""
    followed = getattr(consultation, "is_followed", None)
    if followed is None:
        followed = ReminderSignup.objects.filter(consultation=consultation, user=user).exists()
    return followed


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultations = _visible(request.user)
    if request.user.is_authenticated:
        consultations = consultations.annotate(
            is_followed=Exists(
                ReminderSignup.objects.filter(consultation=OuterRef("pk"), user=request.user)
            )
        )
    consultation = get_object_or_404(consultations, pk=pk)
    page_cache.valid_until(request, consultation.opens_at, consultation.closes_at)
    return _render_detail(request, consultation)


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
        return _login_redirect(request, get_object_or_404(Consultation, pk=pk))
    consultation = _consultation_for_staff(request, pk, "consultations.change_consultation")
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


class AnswersRespondView(ConsultationStaffMixin, FormView):
    """Select similar answers to one question and publish one reasoned response to them."""

    template_name = "consultations/consultation_respond_form.html"
    form_class = AnswersRespondForm

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
            answer.checked = str(answer.pk) in selected
            group = groups.setdefault(
                answer.question_id, {"question": answer.question, "answers": []}
            )
            group["answers"].append(answer)
        context["groups"] = list(groups.values())
        return context

    def form_valid(self, form):
        try:
            answer_services.answers_respond(
                self.consultation,
                actor=self.request.user,
                answers=form.cleaned_data["answers"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The response is published with the answers."))
        return redirect(f"{self.consultation.get_absolute_url()}#answers")


# --- taking part ----------------------------------------------------------------------------


@require_POST
def answer_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a guiding question. Refusals re-render the consultation page with the message
    and the typed text kept: 409 when the window is not open (the request is fine, the
    consultation's state does not allow it now), 403 when the person may not take part, 400
    when the text itself is not acceptable."""
    question = get_object_or_404(
        GuidingQuestion.objects.filter(consultation__in=_visible(request.user)).select_related(
            "consultation__plan__member"
        ),
        pk=pk,
    )
    consultation = question.consultation
    if not request.user.is_authenticated:
        return _login_redirect(request, consultation)
    form = AnswerForm(request.POST, auto_id=f"id_answer_{question.pk}_%s")

    def refuse(message: str, status: int) -> HttpResponse:
        form.add_error(None, message)
        return _render_detail(
            request, consultation, posted_question=question.pk, posted_form=form, status=status
        )

    if not form.is_valid():
        return _render_detail(
            request, consultation, posted_question=question.pk, posted_form=form, status=400
        )
    try:
        _answer, created = answer_services.answer_submit(
            question, actor=request.user, body=form.cleaned_data["body"]
        )
    except services.WindowClosed as error:
        return refuse(str(error), 409)
    except answer_services.NotAllowedToTakePart as error:
        return refuse(str(error), 403)
    except DomainError as error:
        return refuse(str(error), 400)
    if created:
        messages.success(request, _("Thank you: your answer is published."))
    else:
        messages.info(request, _("We already have this answer from you; it was not sent twice."))
    return redirect(f"{consultation.get_absolute_url()}#question-{question.pk}")


@require_POST
def reminder_signup(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(_visible(request.user), pk=pk)
    if not request.user.is_authenticated:
        return _login_redirect(request, consultation)
    if request.POST.get("action") == "unfollow":
        services.reminder_cancel(consultation, actor=request.user)
        messages.success(request, _("You no longer follow this consultation."))
        return redirect(consultation)
    try:
        services.reminder_signup(consultation, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        # Said the same way the second time: asking twice is not an error.
        if consultation.window_state() == WindowState.SCHEDULED:
            if _emails_on(request.user, OPENED_KIND):
                messages.success(request, _("We will e-mail you when the consultation opens."))
            else:
                messages.success(
                    request,
                    _("We will tell you in your notifications when the consultation opens."),
                )
        elif _emails_on(request.user, CLOSING_KIND):
            messages.success(request, _("We will e-mail you before the consultation closes."))
        else:
            messages.success(
                request,
                _(
                    "We will remind you in your notifications before it closes (e-mails for "
                    "this are off in your settings)."
                ),
            )
    return redirect(consultation)


# --- the consultation report ----------------------------------------------------------------


def _report_proposals(consultation: Consultation):
    links = ProposalCommitmentLink.objects.select_related("commitment").order_by(
        "commitment__ogp_id"
    )
    return (
        Proposal.objects.published()
        .filter(consultation=consultation)
        .select_related("response", "organisation")
        .prefetch_related(Prefetch("commitment_links", queryset=links))
        .order_by("pk")
    )


REPORT_PROPOSALS_PER_PAGE = 50


def _report_context(consultation: Consultation, page_number) -> dict:
    """The report page: the summary figures (aggregates) and one page of the proposals with
    their decisions; the CSV (and the PDF export) carry the full list."""
    # Oldest first: new proposals join the last page, earlier pages stay where they are.
    paginator = BoundedPaginator(
        _report_proposals(consultation),
        REPORT_PROPOSALS_PER_PAGE,
        order=("submitted_at", "pk"),
    )
    page = paginator.get_page(page_number)
    for proposal in page.object_list:
        proposal.url = _link(proposal)
        proposal.commitments = [link.commitment for link in proposal.commitment_links.all()]
    questions = list(
        consultation.questions.prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("response", "organisation").order_by(
                    "created_at", "pk"
                ),
            )
        )
    )
    return {
        "consultation": consultation,
        "plan": consultation.plan,
        "window": _window(consultation),
        "tz": services.member_tz(consultation.plan),
        **consultation_figures_for_report(consultation),
        "page_obj": page,
        "proposals": page.object_list,
        "questions": questions,
    }


def consultation_report(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(_visible(request.user), pk=pk)
    page_cache.valid_until(request, consultation.opens_at, consultation.closes_at)
    return render(
        request,
        "consultations/report.html",
        _report_context(consultation, request.GET.get("page")),
    )


CSV_HEADER = (
    "reference",
    "title",
    "submitter_type",
    "organisation",
    "status",
    "decision",
    "reason",
    "response_date",
    "commitment_ids",
)


def consultation_report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every published proposal with its decision, streamed: UTF-8 with a byte-order mark so
    spreadsheet programs read accents right. Codes (not translated labels) for status and
    decision, so files from different languages compare."""
    consultation = get_object_or_404(_visible(request.user), pk=pk)
    tz = services.member_tz(consultation.plan)

    def rows():
        for p in _report_proposals(consultation).iterator(chunk_size=500):
            response = p.response if p.response and p.response.published_at else None
            yield [
                p.reference,
                p.title,
                p.submitter_type,
                p.organisation.name if p.organisation else "",
                p.status,
                response.decision if response else "",
                response.reason if response else "",
                timezone.localtime(response.published_at, tz).isoformat(timespec="minutes")
                if response
                else "",
                " ".join(link.commitment.ogp_id for link in p.commitment_links.all()),
            ]

    response = StreamingHttpResponse(
        csv_stream(CSV_HEADER, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-proposals.csv"'
    )
    return response


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporting document, for whoever may see the consultation."""
    document = get_object_or_404(
        ConsultationDocument.objects.filter(consultation__in=_visible(request.user)), pk=pk
    )
    return file_response(document.file)


def offline_minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes of an in-person meeting or workshop of a visible consultation."""
    event = get_object_or_404(
        OfflineEvent.objects.filter(consultation__in=_visible(request.user)), pk=pk
    )
    return file_response(event.minutes)
