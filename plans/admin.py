"""Plans in the admin: their texts stay editable; the cycle moves only through the actions,
which call `plan_transition` (its guards, its audit event)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.core.errors import DomainError
from ogp_portal.core.reminders import lazy_format

from .choices import PlanStatus
from .models import ActionPlan, PolicyArea
from .services import plan_transition
from .workflows import TRANSITIONS


def transition_plan(plan, actor, to_status):
    """The admin's only call to the service (adapt here when its signature changes)."""
    return plan_transition(plan, actor=actor, to_status=to_status)


def _transition_action(to_status: PlanStatus):
    """An admin action moving the selected plans to `to_status`; a refused move is reported
    with the service's reason and changes nothing."""
    label = lazy_format(_("Move to “%(status)s”"), {"status": to_status.label})

    @admin.action(description=label, permissions=["transition"])
    def action(modeladmin, request, queryset):
        moved = 0
        for plan in queryset.select_related("member"):
            try:
                transition_plan(plan, request.user, to_status)
            except DomainError as error:
                modeladmin.message_user(request, f"{plan}: {error}", messages.ERROR)
            else:
                moved += 1
        if moved:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)d plan moved to “%(status)s”.",
                    "%(count)d plans moved to “%(status)s”.",
                    moved,
                )
                % {"count": moved, "status": to_status.label},
                messages.SUCCESS,
            )

    action.__name__ = f"move_to_{to_status.value}"
    return action


# One action per stage a plan can be moved to, in the order of the cycle.
_TARGETS = [s for s in PlanStatus if any(s in targets for targets in TRANSITIONS.values())]


class PolicyAreaInline(admin.TabularInline):
    model = PolicyArea
    extra = 0

    # An archived plan and its policy areas are no longer edited (as `require_editable` says
    # on the portal); `obj` is the plan.
    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "period_start", "period_end", "status"]
    list_filter = ["status", "member"]
    inlines = [PolicyAreaInline]
    list_select_related = ["member"]
    # Set by the services: the stage (and when its notice went out), the number, the version
    # that detects concurrent edits on the portal.
    readonly_fields = ["status", "notice_published_at", "sequence_no", "version"]
    actions = [_transition_action(status) for status in _TARGETS]

    def has_add_permission(self, request):
        # A plan is started on the portal: `plan_create` numbers it and checks the cycle rules.
        return False

    def has_change_permission(self, request, obj=None):
        # An archived plan is shown read-only, as on the portal (`require_editable`).
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_transition_permission(self, request):
        return self.has_change_permission(request)
