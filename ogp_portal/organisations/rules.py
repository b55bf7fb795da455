"""Permission rules for people, organisations and members, written once.

Object permissions take a Member (the government a role belongs to) or an Organisation.
Views use them through PermissionRequiredMixin, templates through {% has_perm %}, and the
admin through the rules backend. Later apps compose these predicates with their own.
"""

import rules

from ogp_portal.users.types import AnyUser

from .access import access_for
from .choices import Role
from .models import Member, Organisation


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
