"""Working groups and commitment teams, and the people in them."""

from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import (
    Forum,
    WorkingGroup,
    WorkingGroupMember,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.models import Organisation
from ogp_portal.users.models import User
from plans.models import PolicyArea


@transaction.atomic
def working_group_create(
    forum: Forum,
    *,
    actor: User,
    name: str,
    description: str = "",
    policy_area: PolicyArea | None = None,
) -> WorkingGroup:
    """A thematic working group or commitment team, attached to one of the member's policy
    areas (a link to a commitment comes with the commitments app)."""
    if policy_area is not None and policy_area.plan.member_id != forum.member_id:
        raise DomainError(_("The policy area belongs to another member's plan."))
    if forum.working_groups.filter(name__iexact=name.strip()).exists():
        raise DomainError(_("This forum already has a working group with that name."))
    group = WorkingGroup.objects.create(
        forum=forum, name=name.strip(), description=description, policy_area=policy_area
    )
    record_event(actor, "forums.working_group.created", group)
    return group


@transaction.atomic
def working_group_add_member(
    group: WorkingGroup,
    *,
    actor: User | None,
    name: str,
    sector: str,
    organisation: Organisation | None = None,
    user: User | None = None,
    is_convenor: bool = False,
) -> WorkingGroupMember:
    if group.members.filter(name__iexact=name.strip()).exists() or (
        user is not None and group.members.filter(user=user).exists()
    ):
        raise DomainError(_("%(name)s is already in this group.") % {"name": name})
    person = WorkingGroupMember.objects.create(
        group=group,
        name=name.strip(),
        sector=sector,
        organisation=organisation,
        user=user,
        is_convenor=is_convenor,
    )
    record_event(actor, "forums.working_group_member.added", person, group=group.pk)
    return person
