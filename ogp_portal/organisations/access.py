"""What one signed-in person may do, loaded once per request (three queries) and cached.

Every permission predicate in rules.py reads from this summary, so a page that asks many
permission questions (the nav, a list with buttons) costs no extra queries per question.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from .choices import MembershipStatus, OrganisationKind, Role
from .models import OrganisationMembership, RoleGrant

_CACHE_ATTR = "_ogp_access"


@dataclass(frozen=True)
class Access:
    email_verified: bool = False
    is_secretariat: bool = False
    # (member_id, role) pairs for the per-member roles.
    member_roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    # member ids for which the person represents a verified CSO.
    cso_member_ids: frozenset[int] = field(default_factory=frozenset)
    # organisations where the person is an approved admin.
    admin_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    approved_organisation_ids: frozenset[int] = field(default_factory=frozenset)

    def has_role(self, member_id: int, role: str) -> bool:
        return (member_id, role) in self.member_roles

    @property
    def workspace_member_ids(self) -> frozenset[int]:
        return frozenset(m for m, _ in self.member_roles) | self.cso_member_ids


ANONYMOUS = Access()


def access_for(user) -> Access:
    """The cached access summary of `user` (anonymous and inactive users may do nothing)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = list(RoleGrant.objects.filter(user=user).values_list("member_id", "role"))
    memberships = list(
        OrganisationMembership.objects.filter(
            user=user, status=MembershipStatus.APPROVED
        ).values_list(
            "organisation_id",
            "is_admin",
            "organisation__kind",
            "organisation__member_id",
            "organisation__verified_at",
        )
    )
    summary = Access(
        email_verified=EmailAddress.objects.filter(user=user, verified=True).exists(),
        is_secretariat=any(role == Role.SECRETARIAT for _, role in grants),
        member_roles=frozenset((m, r) for m, r in grants if m is not None),
        cso_member_ids=frozenset(
            member_id
            for _, _, kind, member_id, verified_at in memberships
            if kind == OrganisationKind.CSO and verified_at is not None and member_id
        ),
        admin_organisation_ids=frozenset(org for org, is_admin, *_ in memberships if is_admin),
        approved_organisation_ids=frozenset(org for org, *_ in memberships),
    )
    setattr(user, _CACHE_ATTR, summary)
    return summary


def forget_access(user) -> None:
    """Drop the cached summary after a change to the person's roles or memberships."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
