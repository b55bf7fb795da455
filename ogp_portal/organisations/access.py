"""What one signed-in person may do, loaded once per request (one query) and cached.

Every permission predicate in rules.py reads from this summary, so a page that asks many
permission questions (the nav, a list with buttons) costs no extra queries per question.
"""

from dataclasses import dataclass, field
from functools import cache

from allauth.account.models import EmailAddress
from django.db import connection

from .choices import MembershipStatus, OrganisationKind, Role
from .models import Organisation, OrganisationMembership, RoleGrant

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
    grants, memberships, email_verified = _read_access(user.pk)
    summary = Access(
        email_verified=email_verified,
        is_secretariat=any(role == Role.SECRETARIAT for _, role in grants),
        member_roles=frozenset((m, r) for m, r in grants if m is not None),
        cso_member_ids=frozenset(
            member_id
            for _, _, kind, member_id, verified in memberships
            if kind == OrganisationKind.CSO and verified and member_id
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


@cache
def _access_sql() -> str:
    """The person's role grants, approved memberships (with their organisation) and whether
    an e-mail address is verified, as the rows of one UNION ALL: every signed-in request
    asks this first, and three ORM queries cost it three round trips and, mostly, the
    Python that builds them. Plain SQL that SQLite and PostgreSQL both run; the names come
    from the models. Rows: "g" a grant (member_id, role), "m" an approved membership
    (organisation_id, its member_id, its kind, is_admin 1/0, verified 1/0), "e" a verified
    address."""
    grant = RoleGrant._meta
    membership = OrganisationMembership._meta
    organisation = Organisation._meta
    email = EmailAddress._meta

    def col(meta, name: str) -> str:
        return connection.ops.quote_name(meta.get_field(name).column)

    def table(meta) -> str:
        return connection.ops.quote_name(meta.db_table)

    # Columns line up by type (PostgreSQL's UNION wants that): kind, two ids, a text, two flags.
    # S608: only quoted names from the models go into the text; the values are parameters.
    return (
        f"SELECT 'g', {col(grant, 'member')}, NULL, {col(grant, 'role')}, NULL, NULL"  # noqa: S608
        f" FROM {table(grant)} WHERE {col(grant, 'user')} = %s"
        " UNION ALL"
        f" SELECT 'm', m.{col(membership, 'organisation')}, o.{col(organisation, 'member')},"
        f" o.{col(organisation, 'kind')},"
        f" CASE WHEN m.{col(membership, 'is_admin')} THEN 1 ELSE 0 END,"
        f" CASE WHEN o.{col(organisation, 'verified_at')} IS NULL THEN 0 ELSE 1 END"
        f" FROM {table(membership)} m INNER JOIN {table(organisation)} o"
        f" ON o.{col(organisation, 'id')} = m.{col(membership, 'organisation')}"
        f" WHERE m.{col(membership, 'user')} = %s AND m.{col(membership, 'status')} = %s"
        " UNION ALL"
        " SELECT 'e', NULL, NULL, NULL, NULL, NULL WHERE EXISTS (SELECT 1 FROM"
        f" {table(email)} WHERE {col(email, 'user')} = %s AND {col(email, 'verified')})"
    )


def _read_access(
    user_id: int,
) -> tuple[list[tuple[int | None, str]], list[tuple[int, bool, str, int | None, bool]], bool]:
    """(grants as (member_id, role), approved memberships as (organisation_id, is_admin,
    kind, member_id, verified)), and whether an e-mail address is verified."""
    grants: list[tuple[int | None, str]] = []
    memberships: list[tuple[int, bool, str, int | None, bool]] = []
    email_verified = False
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(), [user_id, user_id, MembershipStatus.APPROVED.value, user_id])
        for kind, first_id, second_id, text, flag, other_flag in cursor.fetchall():
            if kind == "g":
                grants.append((first_id, text))
            elif kind == "m":
                memberships.append((first_id, bool(flag), text, second_id, bool(other_flag)))
            else:
                email_verified = True
    return grants, memberships, email_verified
