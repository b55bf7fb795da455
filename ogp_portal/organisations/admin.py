"""Members, organisations, memberships and roles in the admin.

Verification, membership decisions, role grants and a member's status change only through
admin actions (or, for a grant, the add form) that call the services, which write the audit
events; the admin shows them read-only otherwise.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.core.admin import reason_or_page
from ogp_portal.core.errors import DomainError
from ogp_portal.core.reminders import lazy_format

from .choices import MemberStatus, Role
from .models import Member, Organisation, OrganisationMembership, RoleGrant
from .services import (
    member_set_status,
    membership_decide,
    organisation_unverify,
    organisation_verify,
    role_grant,
    role_revoke,
)

# --- The admin's only calls to the services -------------------------------------------------
# One small function per call, so that a change of a service's signature is adapted here.


def set_member_status(member, actor, status, reason):
    return member_set_status(member, actor=actor, status=status, reason=reason)


def verify_organisation(organisation, actor):
    return organisation_verify(organisation, actor=actor)


def unverify_organisation(organisation, actor, reason):
    return organisation_unverify(organisation, actor=actor, reason=reason)


def decide_membership(membership, actor, *, approve, make_admin=False):
    return membership_decide(membership, actor=actor, approve=approve, make_admin=make_admin)


def grant_role(actor, user, role, member):
    return role_grant(user, actor=actor, role=role, member=member)


def revoke_role(grant, actor):
    return role_revoke(grant, actor=actor)


# --- Shared ----------------------------------------------------------------------------------


def _apply(modeladmin, request, queryset, call, done_message) -> None:
    """Call the service for each selected row; a refusal is reported, never a 500."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


# --- Members ---------------------------------------------------------------------------------


def _member_status_action(status: MemberStatus):
    label = lazy_format(_("Set status to “%(status)s” (with a reason)"), {"status": status.label})

    @admin.action(description=label, permissions=["change"])
    def action(modeladmin, request, queryset):
        reason, page = reason_or_page(modeladmin, request, queryset, title=label)
        if page is not None:
            return page
        _apply(
            modeladmin, request, queryset,
            lambda member: set_member_status(member, request.user, status, reason),
            lambda n: ngettext(
                "%(count)d member updated.", "%(count)d members updated.", n
            ) % {"count": n},
        )  # fmt: skip
        return None

    action.__name__ = f"set_status_{status.value}"
    return action


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "member_type", "iso_code", "status", "time_zone"]
    list_filter = ["member_type", "status"]
    search_fields = ["name", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [_member_status_action(status) for status in MemberStatus]

    def get_readonly_fields(self, request, obj=None):
        # A new member starts with a status; afterwards it changes only through the actions.
        return ["status"] if obj is not None else []


# --- Organisations ---------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    """Who belongs to the organisation, read-only: decisions go through the memberships'
    actions."""

    model = OrganisationMembership
    extra = 0
    can_delete = False
    # A tuple: typed as both `fields` and `readonly_fields` (a list would be invariant).
    fields = readonly_fields = (
        "user",
        "status",
        "is_admin",
        "requested_at",
        "decided_at",
        "decided_by",
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "member", "verified_at"]
    list_filter = ["kind", "member", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    readonly_fields = ["verified_at", "verified_by"]
    inlines = [MembershipInline]
    list_select_related = ["member"]
    actions = ["verify", "unverify"]

    def has_verify_permission(self, request):
        return request.user.has_perm("organisations.verify_organisation")

    @admin.action(description=_("Verify the selected organisations"), permissions=["verify"])
    def verify(self, request, queryset):
        _apply(
            self, request, queryset,
            lambda organisation: verify_organisation(organisation, request.user),
            lambda n: ngettext(
                "%(count)d organisation verified.", "%(count)d organisations verified.", n
            ) % {"count": n},
        )  # fmt: skip

    @admin.action(
        description=_("Withdraw verification of the selected organisations (with a reason)"),
        permissions=["verify"],
    )
    def unverify(self, request, queryset):
        reason, page = reason_or_page(self, request, queryset, title=_("Withdraw verification"))
        if page is not None:
            return page
        _apply(
            self, request, queryset,
            lambda organisation: unverify_organisation(organisation, request.user, reason),
            lambda n: ngettext(
                "Verification of %(count)d organisation withdrawn.",
                "Verification of %(count)d organisations withdrawn.", n,
            ) % {"count": n},
        )  # fmt: skip
        return None


# --- Memberships -----------------------------------------------------------------------------


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    """Read-only; join requests come from the portal (`membership_request`), and are decided
    by the actions below through `membership_decide`."""

    list_display = ["user", "organisation", "status", "is_admin", "requested_at"]
    list_filter = ["status", "is_admin"]
    search_fields = ["user__email", "organisation__name"]
    raw_id_fields = ["user", "decided_by"]
    list_select_related = ["user", "organisation"]
    # Declining needs a reason and a confirmation: it is done on the organisation's page.
    actions = ["approve", "approve_as_admin"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        # Those who could edit memberships here before now decide them through the service.
        return super().has_change_permission(request)

    def _decide(self, request, queryset, *, approve, make_admin=False):
        _apply(
            self, request, queryset.select_related("user", "organisation"),
            lambda m: decide_membership(m, request.user, approve=approve, make_admin=make_admin),
            lambda n: ngettext(
                "%(count)d request decided.", "%(count)d requests decided.", n
            ) % {"count": n},
        )  # fmt: skip

    @admin.action(description=_("Approve the selected requests"), permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(
        description=_("Approve the selected requests as organisation admins"),
        permissions=["decide"],
    )
    def approve_as_admin(self, request, queryset):
        self._decide(request, queryset, approve=True, make_admin=True)


# --- Role grants -----------------------------------------------------------------------------


class RoleGrantAdminForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "role", "member"]

    def clean(self):
        # The service's own preconditions, checked here so the form shows them on the field.
        super().clean()
        cleaned = self.cleaned_data
        role, member = cleaned.get("role"), cleaned.get("member")
        if role == Role.SECRETARIAT and member is not None:
            self.add_error("member", _("The secretariat role is portal-wide; choose no member."))
        elif role and role != Role.SECRETARIAT and member is None:
            self.add_error("member", _("Choose the member this role is for."))
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """A grant is added through `role_grant` and revoked through `role_revoke` (both audited);
    it is never edited (revoke, then grant the new role)."""

    form = RoleGrantAdminForm
    list_display = ["user", "role", "member", "granted_by", "created_at"]
    list_filter = ["role", "member"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by", "created_at"]
    list_select_related = ["user", "member", "granted_by"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["user", "role", "member"] + ([] if obj is None else self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("organisations.grant_role")

    def save_model(self, request, obj, form, change):
        grant = grant_role(request.user, obj.user, obj.role, obj.member)
        # The admin logs the addition and redirects using the object: give it the saved row.
        obj.pk, obj.granted_by, obj.created_at = grant.pk, grant.granted_by, grant.created_at
        obj._state.adding = False

    @admin.action(description=_("Revoke the selected roles"), permissions=["revoke"])
    def revoke(self, request, queryset):
        _apply(
            self, request, queryset.select_related("user", "member"),
            lambda grant: revoke_role(grant, request.user),
            lambda n: ngettext(
                "%(count)d role revoked.", "%(count)d roles revoked.", n
            ) % {"count": n},
        )  # fmt: skip
