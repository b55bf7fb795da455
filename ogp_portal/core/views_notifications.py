"""The notification inbox, e-mail preferences, one-click unsubscribe, and the secretariat's
list of e-mails that could not be delivered."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView
from rules.contrib.views import permission_required

from ogp_portal.core.form_views import PermissionRequiredMixin
from ogp_portal.organisations.access import access_for
from ogp_portal.users.types import AuthenticatedHttpRequest

from . import notifications as service
from .models import Delivery, EmailFailure, Notification

# Who may see and resolve failed e-mails: the secretariat, as for its other screens.
FAILURES_PERMISSION = "organisations.view_secretariat"


class InboxView(LoginRequiredMixin, ListView):
    request: AuthenticatedHttpRequest
    template_name = "core/notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).order_by(
            "-created_at", "-pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for notification in context["notifications"]:
            notification.preview = service.notification_preview(
                notification.body, self.request.user
            )
        return context


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own notifications read and go to what it is about; a
    notification without a link is shown on its own page."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    service.notification_mark_read(notification)
    allowed_hosts = {request.get_host(), settings.SITE_URL.split("://", 1)[-1].split("/")[0]}
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=allowed_hosts, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return render(
        request, "core/notifications/notification_detail.html", {"notification": notification}
    )


@require_POST
@login_required
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = service.notifications_mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


def kinds_shown_to(user) -> list[service.Kind]:
    """The kinds that concern this person: everyone's, staff kinds for people with a role
    for some member, join requests for organisation admins, and any kind they already got
    (a forum chair without a role still gets "forum idle" and must be able to stop it)."""
    access = access_for(user)
    allowed = {
        service.AUDIENCE_CSO: bool(access.cso_member_ids),
        service.AUDIENCE_STAFF: access.is_secretariat or bool(access.member_roles),
        service.AUDIENCE_ORGANISATION_ADMINS: bool(access.admin_organisation_ids),
    }
    all_kinds = service.kinds()
    received: set[str] = set()
    if not all(allowed.get(kind.audience, True) for kind in all_kinds):
        received = set(  # one query, only when some kind is held back
            Notification.objects.filter(recipient=user)
            .order_by()
            .values_list("kind", flat=True)
            .distinct()
        )
    return [kind for kind in all_kinds if allowed.get(kind.audience, True) or kind.key in received]


# Headings of the preferences page, in this order; a kind's audience picks its group.
PREFERENCE_GROUPS = [
    (service.AUDIENCE_EVERYONE, gettext_lazy("For everyone taking part")),
    (service.AUDIENCE_CSO, gettext_lazy("For civil society organisations")),
    (service.AUDIENCE_ORGANISATION_ADMINS, gettext_lazy("For organisation admins")),
    (service.AUDIENCE_STAFF, gettext_lazy("For government and secretariat staff")),
]


class PreferencesForm(forms.Form):
    """One radio group per notification kind that concerns the person; kinds not shown
    keep their stored choice."""

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.audiences = {}
        for kind in service.kinds() if kinds is None else kinds:
            self.audiences[kind.key] = kind.audience
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                required=False,  # a kind left out keeps its current choice
            )

    def choices(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}

    def groups(self) -> list[tuple]:
        """(heading, [bound fields]) per audience that has any kind on the form."""
        groups = []
        for audience, heading in PREFERENCE_GROUPS:
            fields = [self[key] for key, shown in self.audiences.items() if shown == audience]
            if fields:
                groups.append((heading, fields))
        return groups


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "core/notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": kinds_shown_to(self.request.user)}

    def get_initial(self):
        return service.preferences_for(self.request.user)

    def form_valid(self, form):
        service.preferences_set(self.request.user, form.choices())
        messages.success(self.request, _("Your e-mail settings are saved."))
        return redirect("notifications:preferences")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET asks (mail scanners follow links and must not unsubscribe anyone); POST stops
    that kind for that user. Mail programs POST `List-Unsubscribe=One-Click` here without a
    CSRF token (RFC 8058), hence csrf_exempt: the signed token is the authority. No sign-in,
    so the page never shows the account's address: a forwarded mail must not reveal it."""

    template_name = "core/notifications/unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            user_id, kind = service.read_unsubscribe_token(kwargs["token"])
        except signing.BadSignature:
            return self._bad_link(request)
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is None:
            return self._bad_link(request)
        self.subscriber, self.kind = user, service.get_kind(kind)
        return super().dispatch(request, *args, **kwargs)

    def _bad_link(self, request):
        return render(request, "core/notifications/unsubscribe_invalid.html", status=400)

    def get(self, request, token):
        # Opened again after unsubscribing: say so rather than ask again.
        already = self.kind.key != service.DIGEST_KIND and (
            service.deliveries_for([self.subscriber.pk], self.kind.key)[self.subscriber.pk]
            == Delivery.OFF
        )
        return self._render(request, token, done=False, already=already)

    def post(self, request, token):
        service.unsubscribe(self.subscriber.pk, self.kind.key)
        return self._render(request, token, done=True)

    def _render(self, request, token, *, done, already=False):
        context = {
            "kind": self.kind,
            "is_digest": self.kind.key == service.DIGEST_KIND,
            "token": token,
            "done": done,
            "already": already,
        }
        return render(request, self.template_name, context)


class EmailFailureListView(PermissionRequiredMixin, ListView):
    template_name = "core/notifications/failure_list.html"
    permission_required = FAILURES_PERMISSION
    context_object_name = "failures"
    paginate_by = 50

    def get_queryset(self):
        return EmailFailure.objects.order_by("-failed_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unresolved_count"] = EmailFailure.objects.filter(resolved_at__isnull=True).count()
        return context


@require_POST
@login_required
@permission_required(FAILURES_PERMISSION, raise_exception=True)  # signed in: 403, not login
def email_failure_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    failure = get_object_or_404(EmailFailure, pk=pk)
    service.email_failure_resolve(failure, actor=request.user)
    messages.success(
        request,
        _("The failed e-mail to %(address)s is marked resolved.") % {"address": failure.address},
    )
    page = request.POST.get("page", "")
    url = reverse("notifications:failure-list")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
