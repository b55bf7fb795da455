"""Members, their organisations, the accounts (one shared password hash) and their roles."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from ogp_portal.organisations.choices import MembershipStatus, OrganisationKind, Role
from ogp_portal.organisations.models import Member, Organisation, OrganisationMembership, RoleGrant

from . import text
from .context import EMAIL_DOMAIN, PASSWORD, SLUG_PREFIX, Context
from .context import Member as MemberInfo

# User-assigned ISO 3166 codes (QM–QZ, XA–XZ without XK Kosovo and XV of the demo, AA, ZZ):
# no seeded commitment ID can pass for a real government's.
ISO_CODES = (
    [f"Q{c}" for c in "MNOPQRSTUVWXYZ"]
    + [f"X{c}" for c in "ABCDEFGHIJLMNOPQRSTUWXYZ"]
    + ["AA", "ZZ"]
)
TIME_ZONES = (
    "Europe/Paris", "Europe/Kyiv", "Africa/Nairobi", "Africa/Lagos", "America/Bogota",
    "America/Mexico_City", "Asia/Manila", "Asia/Jakarta", "Pacific/Auckland", "UTC",
)  # fmt: skip
STAFF_ROLES = (
    ("civil_servant", Role.CIVIL_SERVANT),
    ("commitment_lead", Role.COMMITMENT_LEAD),
    ("moderator", Role.MODERATOR),
    ("forum_member", Role.FORUM_MEMBER),
)
CSO_PATTERNS = (
    "{place} Transparency Watch", "Open {topic} Coalition", "{place} Legal Aid Network",
    "Citizens for {topic}", "{place} Budget Monitors", "{topic} Observatory",
    "{place} Youth for Open Data", "Women's Voice {place}", "{place} Journalists' Union",
    "{topic} Action Network",
)  # fmt: skip


def staff_email(role: str, member_index: int) -> str:
    return f"scale-{role.replace('_', '-')}-{member_index + 1:03d}@{EMAIL_DOMAIN}"


def citizen_email(number: int, width: int) -> str:
    return f"scale-user-{number:0{width}d}@{EMAIL_DOMAIN}"


def make_members(ctx: Context) -> None:
    rng = ctx.rng("members")
    count = ctx.sizes.members
    nationals = max(1, min(len(ISO_CODES), (count + 1) // 2))
    first = ctx.writer.reserve_ids(Member, count)
    used_names: set[str] = set()
    for index in range(count):
        place = text.place_name(rng)
        while place in used_names:
            place = text.place_name(rng)
        used_names.add(place)
        is_national = index < nationals
        iso = (
            ISO_CODES[index % len(ISO_CODES)]
            if is_national
            else ctx.members[rng.randrange(nationals)].iso_code
        )
        languages = ["en"] if rng.random() < 0.6 else rng.choice([["fr", "en"], ["en", "fr"]])
        ctx.members.append(
            MemberInfo(
                pk=first + index,
                index=index,
                slug=f"{SLUG_PREFIX}{index + 1:03d}-{place.lower()}",
                name=f"Republic of {place}" if is_national else f"City of {place}",
                iso_code=iso,
                is_national=is_national,
                languages=languages,
                time_zone=rng.choice(TIME_ZONES),
            )
        )
    joined = ctx.now - dt.timedelta(days=3000)
    ctx.writer.insert(
        Member,
        ["id", "name", "slug", "member_type", "iso_code", "languages", "time_zone", "status",
         "website_url", "created_at"],
        (
            (m.pk, m.name, m.slug, "national" if m.is_national else "local", m.iso_code,
             m.languages, m.time_zone, "active", f"https://ogp.{m.slug}.example.org/", joined)
            for m in ctx.members
        ),
    )  # fmt: skip


def make_organisations(ctx: Context) -> None:
    rng = ctx.rng("organisations")
    rows = []
    verified = ctx.now - dt.timedelta(days=700)
    for member in ctx.members:
        place = member.name.split(" of ")[-1]
        names: list[tuple[str, str]] = []
        seen: set[str] = set()
        for _area, _phrases, institutions in rng.sample(text.TOPICS, 6):
            for name in institutions:
                if name not in seen:
                    seen.add(name)
                    names.append((name, OrganisationKind.GOVERNMENT_AGENCY))
        for _ in range(14):
            area = text.topic(rng)
            name = rng.choice(CSO_PATTERNS).format(place=place, topic=area[0])
            if name not in seen:
                seen.add(name)
                names.append((name, OrganisationKind.CSO))
        names.append((f"University of {place}", OrganisationKind.ACADEMIA))
        names.append((f"National Assembly of {place}", OrganisationKind.PARLIAMENT))
        for name, kind in names:
            rows.append((member, name, kind))
    first = ctx.writer.reserve_ids(Organisation, len(rows))
    table = []
    for offset, (member, name, kind) in enumerate(rows):
        pk = first + offset
        if kind == OrganisationKind.GOVERNMENT_AGENCY:
            member.agencies.append((pk, name))
        elif kind == OrganisationKind.CSO:
            member.csos.append(pk)
        elif kind == OrganisationKind.ACADEMIA:
            member.academia = pk
        else:
            member.parliament = pk
        # One CSO in ten still waits for the secretariat's verification.
        is_verified = kind != OrganisationKind.CSO or rng.random() >= 0.1
        table.append(
            (pk, name, kind, member.pk, f"{text.pick(rng, text.GROUPS).capitalize()} and "
             f"{text.pick(rng, text.GROUPS)} working together since {rng.randint(1990, 2020)}.",
             "", "", verified if is_verified else None, verified - dt.timedelta(days=30))
        )  # fmt: skip
    ctx.writer.insert(
        Organisation,
        ["id", "name", "kind", "member_id", "description", "website_url", "contact_email",
         "verified_at", "created_at"],
        table,
    )  # fmt: skip


def make_users(ctx: Context) -> None:
    """Staff (four per member) first, then citizens; every account verified, one password."""
    rng = ctx.rng("users")
    staff = len(ctx.members) * len(STAFF_ROLES)
    citizens = max(ctx.sizes.users - staff, 100)
    first = ctx.writer.reserve_ids(get_user_model(), staff + citizens)
    ctx.citizens = (first + staff, citizens)
    width = max(6, len(str(citizens)))
    emails: list[str] = []
    for member in ctx.members:
        for attr, _role in STAFF_ROLES:
            setattr(member, attr, first + len(emails))
            emails.append(staff_email(attr, member.index))
    emails.extend(citizen_email(n + 1, width) for n in range(citizens))
    password = make_password(PASSWORD)
    joined = ctx.now - dt.timedelta(days=900)

    def rows():
        for offset, email in enumerate(emails):
            yield (
                first + offset, password, False, email, False, True,
                joined + dt.timedelta(minutes=offset * 7 % 1_200_000),
                text.person_name(rng), "fr" if rng.random() < 0.15 else "en",
            )  # fmt: skip

    ctx.writer.insert(
        get_user_model(),
        ["id", "password", "is_superuser", "email", "is_staff", "is_active", "date_joined",
         "name", "preferred_language"],
        rows(),
        rebuild_indexes=True,
    )  # fmt: skip
    first_address = ctx.writer.reserve_ids(EmailAddress, len(emails))
    ctx.writer.insert(
        EmailAddress,
        ["id", "user_id", "email", "verified", "primary"],
        (
            (first_address + offset, first + offset, email, True, True)
            for offset, email in enumerate(emails)
        ),
        rebuild_indexes=True,
    )


def make_roles(ctx: Context) -> None:
    rng = ctx.rng("roles")
    granted = ctx.now - dt.timedelta(days=800)
    grants = [
        (member.pk, getattr(member, attr), role)
        for member in ctx.members
        for attr, role in STAFF_ROLES
    ]
    first = ctx.writer.reserve_ids(RoleGrant, len(grants))
    ctx.writer.insert(
        RoleGrant,
        ["id", "user_id", "member_id", "role", "created_at"],
        ((first + i, user, member, role, granted) for i, (member, user, role) in enumerate(grants)),
    )
    memberships = []
    for member in ctx.members:
        agency = member.agencies[0][0]
        memberships.append((member.civil_servant, agency, False, MembershipStatus.APPROVED))
        memberships.append(
            (member.commitment_lead, member.agencies[1][0], False, MembershipStatus.APPROVED)
        )
        memberships.append((member.forum_member, member.csos[0], True, MembershipStatus.APPROVED))
    # About 3% of citizens represent a CSO of some member (they take part in CSO-only
    # consultations and submit on behalf of their organisation); a few wait for approval.
    first_citizen, citizens = ctx.citizens
    for user in range(first_citizen, first_citizen + citizens):
        if rng.random() < 0.03:
            member = ctx.members[rng.randrange(len(ctx.members))]
            organisation = rng.choice(member.csos)
            status = MembershipStatus.APPROVED if rng.random() < 0.9 else MembershipStatus.PENDING
            memberships.append((user, organisation, rng.random() < 0.2, status))
            if status == MembershipStatus.APPROVED:
                ctx.cso_reps.append((user, organisation, member.pk))
    first = ctx.writer.reserve_ids(OrganisationMembership, len(memberships))
    ctx.writer.insert(
        OrganisationMembership,
        ["id", "user_id", "organisation_id", "is_admin", "status", "requested_at", "decided_at"],
        (
            (first + i, user, org, admin, status, granted,
             granted + dt.timedelta(days=2) if status == "approved" else None)
            for i, (user, org, admin, status) in enumerate(memberships)
        ),
    )  # fmt: skip
