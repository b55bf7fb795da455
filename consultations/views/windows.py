"""Consultation windows: the public list and detail pages, following a consultation, its
downloads, and what the other window views share (the window's facts in the member's time
zone, who may see or run a consultation). The set-up screens are in window_setup.py, answers
in answers.py, the report in report.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from consultations.choices import Channel, WindowState
from consultations.forms_windows import AnswerForm
from consultations.models import (
    Answer,
    Consultation,
    ConsultationDocument,
    OfflineEvent,
    Proposal,
    ReasonedResponse,
    ReminderSignup,
)
from consultations.moderation_log import moderation_log_for_consultation
from consultations.selectors import drafts_of
from consultations.services import answers as answer_services
from consultations.services import windows as services
from ogp_portal.core import page_cache
from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import PermissionRequiredMixin, require, run_action
from ogp_portal.core.models import Delivery
from ogp_portal.core.notifications import deliveries_for
from plans.models import ActionPlan

# The detail page shows the first proposals and answers; the report lists every proposal
# (paginated) and every answer.
PROPOSALS_SHOWN = 20
ANSWERS_SHOWN = 50
# Above this the detail page says "more than 10,000 proposals": counting stops there, so the
# page costs the same with 20,000 or 200,000 (the report and the proposal list give the total).
PROPOSAL_COUNT_EXACT_UP_TO = 10_000
# The notification kind of the "closes soon" reminders (consultations/reminders.py).
CLOSING_KIND = "consultation.closing"
OPENED_KIND = "consultation.opened"


# --- helpers --------------------------------------------------------------------------------


def _local(moment, tz) -> str:
    """An instant as the member's wall-clock time with its zone: "2026-12-01 09:00 CET"."""
    if moment is None:
        return ""
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M %Z")


def link_or_none(obj) -> str | None:
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


def window_facts(consultation: Consultation) -> dict:
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


def notice_change_rows(consultation: Consultation) -> list[dict]:
    """The public log of changes made after the notice went out (MR 3.1), oldest first, with
    times in the member's zone."""
    tz = services.member_tz(consultation.plan)
    labels = {"opens_at": _("Opens"), "closes_at": _("Closes"), "channels": _("Channels")}

    def shown(name: str, value) -> str:
        if name == "channels":
            return ", ".join(_channel_labels(value or [])) or "–"
        moment = parse_datetime(value) if value else None
        return _local(moment, tz) if moment else "–"

    return [
        {
            "when": _local(change.changed_at, tz),
            "restarted": change.restarted_notice,
            "items": [
                (labels.get(name, name), shown(name, before), shown(name, after))
                for name, (before, after) in change.changes.items()
            ],
        }
        for change in consultation.notice_changes.all()
    ]


def visible_consultations(user):
    return Consultation.objects.visible_to(user).select_related("plan__member")


def consultation_for_staff(request: HttpRequest, pk: int, perm: str) -> Consultation:
    """The consultation if `request.user` holds `perm` on it. Signed-in people without it get
    403 for a consultation they can see and 404 for one they cannot (drafts never leak)."""
    consultation = get_object_or_404(Consultation.objects.select_related("plan__member"), pk=pk)
    if (
        not request.user.has_perm(perm, consultation)
        and not visible_consultations(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    require(request, perm, consultation)
    return consultation


class ConsultationStaffMixin(PermissionRequiredMixin):
    """Screens for the consultation's civil servants: anonymous → sign in, others → 403 (or
    404 when they cannot even see the consultation)."""

    permission_required = "consultations.change_consultation"
    # Set up by the view this is mixed into. (Its handlers run only once the permission check
    # has passed, never for the anonymous: the views declare an AuthenticatedHttpRequest.)
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_permission_object(self):
        self.consultation = get_object_or_404(
            Consultation.objects.select_related("plan__member"), pk=self.kwargs["pk"]
        )
        return self.consultation

    def handle_no_permission(self):
        user = self.request.user
        if (
            user.is_authenticated
            and not visible_consultations(user).filter(pk=self.consultation.pk).exists()
        ):
            raise Http404
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        # The view this is mixed into (a FormView) has get_context_data; this mixin does not.
        return super().get_context_data(  # type: ignore[misc]
            consultation=self.consultation, window=window_facts(self.consultation), **kwargs
        )


def login_redirect(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    return redirect_to_login(consultation.get_absolute_url())


# --- list and detail ------------------------------------------------------------------------


class ConsultationListView(ListView):
    paginate_by = 25
    template_name = "consultations/consultation_list.html"

    def get_queryset(self):
        return visible_consultations(self.request.user).order_by("-opens_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for consultation in context["page_obj"].object_list:
            consultation.window = window_facts(consultation)
            page_cache.valid_until(self.request, consultation.opens_at, consultation.closes_at)
        context["plannable_plans"] = self._plannable_plans()
        return context

    def _plannable_plans(self):
        """Plans the person may open a consultation for (civil servants only)."""
        from consultations.rules import CONSULTABLE_PLAN_STATUSES
        from ogp_portal.organisations.access import access_for
        from ogp_portal.organisations.choices import Role

        member_ids = {m for m, role in access_for(self.request.user).member_roles
                      if role == Role.CIVIL_SERVANT}  # fmt: skip
        if not member_ids:
            return []
        return list(
            ActionPlan.objects.filter(
                member_id__in=member_ids, status__in=CONSULTABLE_PLAN_STATUSES
            )
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


def render_consultation_detail(
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
    window = window_facts(consultation)
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
    group_sizes: dict[int | None, int] = dict(
        ReasonedResponse.objects.filter(consultation=consultation, answers__isnull=False)
        .annotate(n=Count("answers"))
        .values_list("pk", "n")
    )
    # The form and the group size are read by the template; they are not model fields.
    for question in questions:
        if question.pk == posted_question and posted_form is not None:
            question.form = posted_form  # type: ignore[attr-defined]
        else:
            question.form = AnswerForm(auto_id=f"id_answer_{question.pk}_%s")  # type: ignore[attr-defined]
        for answer in question.shown_answers:
            answer.group_size = group_sizes.get(answer.response_id, 0)  # type: ignore[attr-defined]
    # Newest first over the proposal_published_order index, which also serves the count.
    published = (
        Proposal.objects.published()
        .filter(consultation=consultation)
        .order_by("-submitted_at", "-pk")
    )
    proposals = list(published.select_related("response", "organisation")[:PROPOSALS_SHOWN])
    for proposal in proposals:
        proposal.url = link_or_none(proposal)
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
        "drafts": drafts_of(user, consultation),
        "offline_events": list(consultation.offline_events.all()),
        "notice_changes": notice_change_rows(consultation),
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
    consultations = visible_consultations(request.user)
    if request.user.is_authenticated:
        consultations = consultations.annotate(
            is_followed=Exists(
                ReminderSignup.objects.filter(consultation=OuterRef("pk"), user=request.user)
            )
        )
    consultation = get_object_or_404(consultations, pk=pk)
    page_cache.valid_until(request, consultation.opens_at, consultation.closes_at)
    return render_consultation_detail(request, consultation)


def moderation_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation's public moderation log: what, when, why, the moderator's role."""
    consultation = get_object_or_404(visible_consultations(request.user), pk=pk)
    return render(
        request,
        "consultations/moderation_log.html",
        {"consultation": consultation, "entries": moderation_log_for_consultation(consultation)},
    )


@require_POST
def reminder_signup(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    consultation = get_object_or_404(visible_consultations(user), pk=pk)
    if not user.is_authenticated:
        return login_redirect(request, consultation)
    if request.POST.get("action") == "unfollow":
        services.reminder_cancel(consultation, actor=user)
        messages.success(request, _("You no longer follow this consultation."))
        return redirect(consultation)
    _created, refused = run_action(
        request, lambda: services.reminder_signup(consultation, actor=user)
    )
    if not refused:
        # Said the same way the second time: asking twice is not an error.
        if consultation.window_state() == WindowState.SCHEDULED:
            if _emails_on(user, OPENED_KIND):
                messages.success(request, _("We will e-mail you when the consultation opens."))
            else:
                messages.success(
                    request,
                    _("We will tell you in your notifications when the consultation opens."),
                )
        elif _emails_on(user, CLOSING_KIND):
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


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A supporting document, for whoever may see the consultation."""
    document = get_object_or_404(
        ConsultationDocument.objects.filter(consultation__in=visible_consultations(request.user)),
        pk=pk,
    )
    return file_response(document.file)


def offline_minutes_download(request: HttpRequest, pk: int) -> FileResponse:
    """The minutes of an in-person meeting or workshop of a visible consultation."""
    event = get_object_or_404(
        OfflineEvent.objects.filter(consultation__in=visible_consultations(request.user)), pk=pk
    )
    return file_response(event.minutes)
