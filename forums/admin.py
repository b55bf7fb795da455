"""Read-only admin pages: every change goes through the services (and their audit trail)."""

from django.contrib import admin

from .models import (
    Forum,
    ForumMeeting,
    ForumSeat,
    SelectionRound,
    Thread,
    WorkingGroup,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Forum)
class ForumAdmin(ReadOnlyAdmin):
    list_display = ["name", "member", "updated_at"]
    list_select_related = ["member"]


@admin.register(ForumSeat)
class ForumSeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "forum", "sector", "role", "term_starts_on", "term_ends_on"]
    list_filter = ["sector", "role"]
    list_select_related = ["forum"]


@admin.register(SelectionRound)
class SelectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "forum", "status", "voting_close_at"]
    list_select_related = ["forum"]


@admin.register(ForumMeeting)
class ForumMeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "forum", "kind", "starts_at", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["forum"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "forum", "policy_area"]
    list_select_related = ["forum", "policy_area"]


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "forum", "is_public", "last_post_at"]
    list_select_related = ["forum"]
