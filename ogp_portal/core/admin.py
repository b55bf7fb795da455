from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    EmailFailure,
    Notification,
    NotificationPreference,
    OutboxMessage,
    ReminderLog,
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def reason_or_page(modeladmin, request, queryset, *, title):
    """For an admin action whose service needs a reason (OGP asks for one on withdrawals).

    Returns `(reason, None)` once the intermediate page was submitted with a reason, else
    `(None, response)` where the response shows (or re-shows) that page; the action returns it.
    """
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": request.POST.get("action", ""),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return None, TemplateResponse(request, "admin/action_reason.html", context)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "target_repr", "actor"]
    # Filter by kind, object type and actor; search by member or object name. The details
    # (data: before/after of role grants and verifications) show on each event's page.
    list_filter = ["action", "target_type", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["target_repr", "action", "actor__email", "data", "reason"]
    list_select_related = ["actor"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the portal itself: staff look, the services change them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
    search_fields = ["subject", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


@admin.register(EmailFailure)
class EmailFailureAdmin(ReadOnlyAdmin):
    # Resolving is done on the secretariat's page (/notifications/failures/), which records it.
    list_display = ["failed_at", "address", "kind", "subject", "attempts", "resolved_at"]
    list_filter = ["kind", "resolved_at"]
    search_fields = ["address", "subject"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "target_type", "target_id", "deadline"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "target_type"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    # What waits for the broker (published_at empty) and why (its last error); the relay
    # publishes it, nobody edits it.
    list_display = ["created_at", "task", "args", "attempts", "available_at", "published_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "task"]
