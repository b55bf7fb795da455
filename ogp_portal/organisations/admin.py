from django.contrib import admin

from .models import Member, Organisation, OrganisationMembership, RoleGrant


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "member_type", "iso_code", "status", "time_zone"]
    list_filter = ["member_type", "status"]
    search_fields = ["name", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    raw_id_fields = ["user", "decided_by"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "member", "verified_at"]
    list_filter = ["kind", "member", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    readonly_fields = ["verified_at", "verified_by"]
    inlines = [MembershipInline]
    list_select_related = ["member"]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "is_admin", "requested_at"]
    list_filter = ["status", "is_admin"]
    search_fields = ["user__email", "organisation__name"]
    raw_id_fields = ["user", "decided_by"]
    list_select_related = ["user", "organisation"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "member", "granted_by", "created_at"]
    list_filter = ["role", "member"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "granted_by"]
    list_select_related = ["user", "member", "granted_by"]
