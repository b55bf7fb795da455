from django.contrib import admin

from .models import ActionPlan, PolicyArea


class PolicyAreaInline(admin.TabularInline):
    model = PolicyArea
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "period_start", "period_end", "status"]
    list_filter = ["status", "member"]
    inlines = [PolicyAreaInline]
    list_select_related = ["member"]
