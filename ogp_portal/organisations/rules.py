"""Permission rules for people, organisations and members, written once.

Object permissions take a Member (the government a role belongs to) or an Organisation.
Views use them through PermissionRequiredMixin, templates through {% has_perm %}, and the
admin through the rules backend. Later apps compose these predicates with their own.
"""

from collections.abc import Collection

import rules
from django.utils.translation import gettext as _

from ogp_portal.users.types import AnyUser

from .access import access_for
from .choices import ACTING_KINDS, Role
from .models import Member, Organisation, OrganisationQuerySet


@rules.predicate
def is_verified_user(user: AnyUser) -> bool:
    """A citizen: any active person with a verified e-mail address."""
    return access_for(user).email_verified


@rules.predicate
def is_secretariat(user: AnyUser) -> bool:
    return access_for(user).is_secretariat


def _member_role(role: str) -> rules.Predicate:
    def has_role(user: AnyUser, member: Member | None) -> bool:
        return member is not None and access_for(user).has_role(member.pk, role)

    return rules.Predicate(has_role, name=f"has_{role}_role")


is_civil_servant = _member_role(Role.CIVIL_SERVANT)
is_commitment_lead = _member_role(Role.COMMITMENT_LEAD)
is_forum_member = _member_role(Role.FORUM_MEMBER)
is_moderator = _member_role(Role.MODERATOR)


@rules.predicate
def is_cso_representative(user: AnyUser, member: Member | None) -> bool:
    """Approved member of a *verified* CSO that belongs to this member."""
    return member is not None and member.pk in access_for(user).cso_member_ids


@rules.predicate
def is_organisation_admin(user: AnyUser, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.pk in access_for(user).admin_organisation_ids


@rules.predicate
def has_any_member_role(user: AnyUser, member: Member | None) -> bool:
    return member is not None and member.pk in access_for(user).workspace_member_ids


# Acting for an organisation: the one rule every "on behalf of" uses (proposals, answers,
# forum nominations and ballots). An organisation may be spoken for in a member's process
# only when it is of a non-government kind, verified by the secretariat and belongs to that
# member; and only by its approved members.


def organisation_refusal(
    organisation: Organisation, member_id: int | None, *, kinds: Collection[str] = ACTING_KINDS
) -> str:
    """Why nobody may act for `organisation` in a process of member `member_id`; "" if one may."""
    if organisation.kind not in kinds:
        return _("%(org)s is not an organisation of a kind that takes part (%(kind)s).") % {
            "org": organisation.name,
            "kind": organisation.get_kind_display(),
        }
    if organisation.verified_at is None:
        return _("%(org)s is not verified by the secretariat.") % {"org": organisation.name}
    if member_id is None or organisation.member_id != member_id:
        return _("%(org)s does not belong to this member.") % {"org": organisation.name}
    return ""


def acting_refusal(
    user: AnyUser,
    organisation: Organisation,
    member_id: int | None,
    *,
    kinds: Collection[str] = ACTING_KINDS,
) -> str:
    """Why `user` may not act for `organisation` in a process of `member_id`; "" if they may."""
    reason = organisation_refusal(organisation, member_id, kinds=kinds)
    if reason:
        return reason
    if organisation.pk not in access_for(user).approved_organisation_ids:
        return _("You can only act on behalf of an organisation you belong to.")
    return ""


def may_act_for(
    user: AnyUser,
    organisation: Organisation,
    member_id: int | None,
    *,
    kinds: Collection[str] = ACTING_KINDS,
) -> bool:
    return not acting_refusal(user, organisation, member_id, kinds=kinds)


def organisations_to_act_for(
    user: AnyUser, member_id: int | None, *, kinds: Collection[str] = ACTING_KINDS
) -> OrganisationQuerySet:
    """The organisations `user` may act for in a process of `member_id` (the same rule as
    acting_refusal, as a query, for "on behalf of" lists)."""
    return Organisation.objects.may_take_part_for(member_id, kinds=kinds).filter(
        pk__in=access_for(user).approved_organisation_ids
    )


# Portal-wide administration.
rules.add_perm("organisations.verify_organisation", is_secretariat)
rules.add_perm("organisations.grant_role", is_secretariat)
rules.add_perm("organisations.view_secretariat", is_secretariat)

# Organisations.
rules.add_perm("organisations.register_organisation", is_verified_user)
rules.add_perm("organisations.join_organisation", is_verified_user)
rules.add_perm("organisations.manage_organisation", is_organisation_admin | is_secretariat)

# Acting for a member (object: Member).
rules.add_perm("organisations.participate", is_verified_user)
rules.add_perm("organisations.act_as_civil_servant", is_civil_servant)
rules.add_perm("organisations.act_as_commitment_lead", is_commitment_lead)
rules.add_perm("organisations.act_as_cso", is_cso_representative)
rules.add_perm("organisations.act_as_forum_member", is_forum_member)
rules.add_perm("organisations.moderate_member", is_moderator)
rules.add_perm("organisations.view_member_workspace", has_any_member_role | is_secretariat)

# Django admin: the secretariat may use the admin pages of this app (is_staff still required).
rules.add_perm("organisations", is_secretariat)
for _model in ("member", "organisation", "organisationmembership", "rolegrant"):
    for _verb in ("view", "add", "change"):
        rules.add_perm(f"organisations.{_verb}_{_model}", is_secretariat)

# The audit trail (core.AuditEvent) is the secretariat's to read, never to change: its admin
# page refuses add, change and delete to everyone.
rules.add_perm("core", is_secretariat)
rules.add_perm("core.view_auditevent", is_secretariat)
