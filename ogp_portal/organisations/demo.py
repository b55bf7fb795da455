"""Demo members, organisations and one person per role. Loading twice changes nothing.

Everything here is fictional: Valdoria is an invented country using a user-assigned ISO
code (XV), so demo records never pass for a real government's.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.utils import timezone

from .choices import MembershipStatus, MemberType, OrganisationKind, OrganisationSize, Role
from .models import Member, Organisation, OrganisationMembership, RoleGrant

DEMO_PASSWORD = "ogp-demo-2026"
# A fixed, public TOTP secret for the demo secretariat account only (`make demo-code`
# prints its current code). Never used outside the demo data.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

NATIONAL = {
    "slug": "valdoria",
    "name": "Republic of Valdoria",
    "member_type": MemberType.NATIONAL,
    "iso_code": "XV",
    "languages": ["en", "fr"],
    "time_zone": "Europe/Paris",
    "website_url": "https://ogp.valdoria.example.org/",
}
LOCAL = {
    "slug": "port-lumen",
    "name": "City of Port Lumen",
    "member_type": MemberType.LOCAL,
    "iso_code": "XV",
    "languages": ["fr", "en"],
    "time_zone": "Europe/Paris",
    "website_url": "https://opengov.portlumen.example.org/",
}

ORGANISATIONS = [
    # (member slug, name, kind, verified, description)
    (
        "valdoria",
        "Ministry of Justice",
        OrganisationKind.GOVERNMENT_AGENCY,
        True,
        "Leads the access-to-justice commitments.",
    ),
    (
        "valdoria",
        "Ministry of Finance",
        OrganisationKind.GOVERNMENT_AGENCY,
        True,
        "Publishes the budget and leads fiscal-transparency commitments.",
    ),
    (
        "valdoria",
        "Agency for Digital Government",
        OrganisationKind.GOVERNMENT_AGENCY,
        True,
        "Runs the national open-data portal and e-services.",
    ),
    (
        "valdoria",
        "Anti-Corruption Commission",
        OrganisationKind.GOVERNMENT_AGENCY,
        True,
        "Independent body for asset declarations and integrity.",
    ),
    (
        "valdoria",
        "Office of the Prime Minister, Open Government Unit",
        OrganisationKind.GOVERNMENT_AGENCY,
        True,
        "The OGP point of contact.",
    ),
    (
        "valdoria",
        "Transparency Watch Valdoria",
        OrganisationKind.CSO,
        True,
        "Watchdog on public procurement and political finance since 2009.",
    ),
    (
        "valdoria",
        "Legal Aid Network",
        OrganisationKind.CSO,
        True,
        "Free legal advice for people on low incomes in eleven regions.",
    ),
    (
        "valdoria",
        "Open Budget Initiative Valdoria",
        OrganisationKind.CSO,
        True,
        "Citizens' budget guides and participatory budgeting.",
    ),
    (
        "valdoria",
        "Youth for Open Data",
        OrganisationKind.CSO,
        False,
        "Student volunteers building tools on public data. Registered, awaiting verification.",
    ),
    (
        "valdoria",
        "University of Valdoria, Faculty of Law",
        OrganisationKind.ACADEMIA,
        True,
        "Research on court performance and legal empowerment.",
    ),
    (
        "valdoria",
        "National Assembly Committee on Good Governance",
        OrganisationKind.PARLIAMENT,
        True,
        "Parliamentary oversight of the action plan.",
    ),
    (
        "port-lumen",
        "Port Lumen City Hall, Citizen Participation Office",
        OrganisationKind.GOVERNMENT_AGENCY,
        True,
        "Runs the city's participatory budget.",
    ),
    (
        "port-lumen",
        "Port Lumen Neighbourhood Councils Federation",
        OrganisationKind.CSO,
        True,
        "Umbrella of 23 neighbourhood councils.",
    ),
    # Port Lumen's local organisations: who spoke in its consultation (consultations/demo.py).
    # records/demo.py puts each in the district its name says, the others round the city.
    (
        "port-lumen",
        "Old Harbour Residents' Association",
        OrganisationKind.CSO,
        True,
        "Residents of the old town and the harbour front, since 1987.",
    ),
    (
        "port-lumen",
        "Northbank Tenants' Union",
        OrganisationKind.CSO,
        True,
        "Advice and a collective voice for the tenants of Northbank's social housing.",
    ),
    (
        "port-lumen",
        "Port Lumen Cycling Coalition",
        OrganisationKind.CSO,
        True,
        "Campaigns for safe cycle lanes and car-free streets outside schools.",
    ),
    (
        "port-lumen",
        "Lumen Food Bank",
        OrganisationKind.CSO,
        True,
        "Food parcels and a community kitchen for 1,200 households a month.",
    ),
    (
        "port-lumen",
        "Eastgate Youth Centre",
        OrganisationKind.CSO,
        True,
        "After-school clubs, sport and job coaching for young people.",
    ),
    (
        "port-lumen",
        "Riverside Disability Rights Group",
        OrganisationKind.CSO,
        True,
        "Accessible streets, buses and public buildings for everyone.",
    ),
    (
        "port-lumen",
        "Lighthouse Point Seniors' Club",
        OrganisationKind.CSO,
        True,
        "A social club and digital skills classes for older residents.",
    ),
    (
        "port-lumen",
        "Port Lumen Open Data Meetup",
        OrganisationKind.CSO,
        True,
        "Volunteers who map and chart the city's data, one evening a month.",
    ),
    (
        "port-lumen",
        "Port Lumen Chamber of Commerce",
        OrganisationKind.PRIVATE_SECTOR,
        True,
        "Represents 640 local businesses.",
    ),
    (
        "port-lumen",
        "Harbour Fishers' Cooperative",
        OrganisationKind.PRIVATE_SECTOR,
        True,
        "Forty fishing families who sell their catch at the harbour market.",
    ),
    (
        "port-lumen",
        "Port Lumen Institute of Technology, Urban Lab",
        OrganisationKind.ACADEMIA,
        True,
        "Research on housing, mobility and local democracy.",
    ),
]

# Staff and regular volunteers of Port Lumen's organisations (the "who is missing" charts).
# Valdoria's get theirs from records/demo.py, which fills only the sizes left empty.
SIZES = {
    "Port Lumen City Hall, Citizen Participation Office": OrganisationSize.LARGE,
    "Port Lumen Neighbourhood Councils Federation": OrganisationSize.SMALL,
    "Old Harbour Residents' Association": OrganisationSize.MICRO,
    "Northbank Tenants' Union": OrganisationSize.SMALL,
    "Port Lumen Cycling Coalition": OrganisationSize.MICRO,
    "Lumen Food Bank": OrganisationSize.MEDIUM,
    "Eastgate Youth Centre": OrganisationSize.SMALL,
    "Riverside Disability Rights Group": OrganisationSize.MICRO,
    "Lighthouse Point Seniors' Club": OrganisationSize.MICRO,
    "Port Lumen Open Data Meetup": OrganisationSize.MICRO,
    "Port Lumen Chamber of Commerce": OrganisationSize.SMALL,
    "Harbour Fishers' Cooperative": OrganisationSize.MICRO,
    "Port Lumen Institute of Technology, Urban Lab": OrganisationSize.LARGE,
}

# People of Port Lumen who took part in its consultation (no demo login: they sign in only
# through the data). (e-mail, name, organisation name or None)
LOCAL_PEOPLE = [
    ("helene.marchand@portlumen.example.org", "Hélène Marchand",
     "Port Lumen Neighbourhood Councils Federation"),
    ("tomas.reyes@portlumen.example.org", "Tomás Reyes", "Old Harbour Residents' Association"),
    ("amira.haddad@portlumen.example.org", "Amira Haddad", "Northbank Tenants' Union"),
    ("jonas.weber@portlumen.example.org", "Jonas Weber", "Port Lumen Cycling Coalition"),
    ("grace.mensah@portlumen.example.org", "Grace Mensah", "Lumen Food Bank"),
    ("kofi.boateng@portlumen.example.org", "Kofi Boateng", "Eastgate Youth Centre"),
    ("sofia.lindgren@portlumen.example.org", "Sofia Lindgren",
     "Riverside Disability Rights Group"),
    ("margaret.oneill@portlumen.example.org", "Margaret O'Neill",
     "Lighthouse Point Seniors' Club"),
    ("ravi.patel@portlumen.example.org", "Ravi Patel", "Port Lumen Open Data Meetup"),
    ("philippe.durand@portlumen.example.org", "Philippe Durand", "Port Lumen Chamber of Commerce"),
    ("yannick.legoff@portlumen.example.org", "Yannick Le Goff", "Harbour Fishers' Cooperative"),
    ("meilin.chen@portlumen.example.org", "Mei Lin Chen",
     "Port Lumen Institute of Technology, Urban Lab"),
    ("nora.benali@portlumen.example.org", "Nora Benali", None),
    ("lucas.martin@portlumen.example.org", "Lucas Martin", None),
    ("aisha.diallo@portlumen.example.org", "Aisha Diallo", None),
    ("pedro.alves@portlumen.example.org", "Pedro Alves", None),
    ("elena.rossi@portlumen.example.org", "Elena Rossi", None),
]  # fmt: skip

# (e-mail, name, role, member slug or None, organisation name or None, org admin)
PEOPLE = [
    ("secretariat@demo.example.org", "Sam Secretariat", Role.SECRETARIAT, None, None, False),
    (
        "civil.servant@demo.example.org",
        "Clara Civil-Servant",
        Role.CIVIL_SERVANT,
        "valdoria",
        "Office of the Prime Minister, Open Government Unit",
        False,
    ),
    (
        "commitment.lead@demo.example.org",
        "Leo Lead",
        Role.COMMITMENT_LEAD,
        "valdoria",
        "Ministry of Justice",
        False,
    ),
    ("cso@demo.example.org", "Camille CSO", None, "valdoria", "Transparency Watch Valdoria", True),
    (
        "cso.unverified@demo.example.org",
        "Uma Unverified",
        None,
        "valdoria",
        "Youth for Open Data",
        True,
    ),
    (
        "forum.member@demo.example.org",
        "Farid Forum",
        Role.FORUM_MEMBER,
        "valdoria",
        "Legal Aid Network",
        True,
    ),
    ("moderator@demo.example.org", "Mona Moderator", Role.MODERATOR, "valdoria", None, False),
    ("citizen@demo.example.org", "Chidi Citizen", None, None, None, False),
    (
        "local.civil.servant@demo.example.org",
        "Lucie Local",
        Role.CIVIL_SERVANT,
        "port-lumen",
        "Port Lumen City Hall, Citizen Participation Office",
        False,
    ),
]

ROLE_LABELS = {
    "secretariat@demo.example.org": "secretariat (2FA: run `make demo-code` for the code)",
    "civil.servant@demo.example.org": "civil servant, Republic of Valdoria",
    "commitment.lead@demo.example.org": "commitment lead, Ministry of Justice",
    "cso@demo.example.org": "CSO representative (admin), Transparency Watch Valdoria",
    "cso.unverified@demo.example.org": "admin of an unverified CSO (cannot act as a CSO)",
    "forum.member@demo.example.org": "forum member, Legal Aid Network",
    "moderator@demo.example.org": "moderator, Republic of Valdoria",
    "citizen@demo.example.org": "citizen",
    "local.civil.servant@demo.example.org": "civil servant, City of Port Lumen",
}


def load() -> dict:
    """Create (or find) the demo members, organisations and people; return them by key."""
    members = {}
    for data in (NATIONAL, LOCAL):
        members[data["slug"]], _ = Member.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
    verified_at = timezone.now() - dt.timedelta(days=400)
    organisations = {}
    for org_slug, name, kind, verified, description in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            member=members[org_slug],
            name=name,
            defaults={
                "kind": kind,
                "description": description,
                "verified_at": verified_at if verified else None,
                **({"size": SIZES[name]} if name in SIZES else {}),
            },
        )

    User = get_user_model()
    people = {}
    for email, name, role, slug, org_name, is_admin in PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={"name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.SECRETARIAT
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            RoleGrant.objects.get_or_create(
                user=user, role=role, member=members[slug] if slug else None
            )
        if org_name:
            OrganisationMembership.objects.update_or_create(
                user=user,
                organisation=organisations[org_name],
                defaults={"status": MembershipStatus.APPROVED, "is_admin": is_admin},
            )
        if (
            role == Role.SECRETARIAT
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        if role == Role.SECRETARIAT:
            # Recovery codes too, as setting up an authenticator app in the portal makes them
            # (idempotent: the existing codes are kept).
            RecoveryCodes.activate(user)
        people[email] = user
    for email, name, org_name in LOCAL_PEOPLE:
        organisation = organisations[org_name] if org_name else None
        people[email] = _local_person(email, name, organisation)
    # A colleague waiting for Camille (the CSO admin) to approve her join request.
    waiting, created = User.objects.get_or_create(
        email="new.colleague@demo.example.org", defaults={"name": "Nadia Newcomer"}
    )
    if created:
        waiting.set_password(DEMO_PASSWORD)
        waiting.save()
    EmailAddress.objects.update_or_create(
        user=waiting, email=waiting.email, defaults={"verified": True, "primary": True}
    )
    OrganisationMembership.objects.get_or_create(
        user=waiting, organisation=organisations["Transparency Watch Valdoria"]
    )
    return {"members": members, "organisations": organisations, "people": people}


def _local_person(email: str, name: str, organisation: Organisation | None):
    """A person of the demo with no login of their own, approved admin of their organisation."""
    user, created = get_user_model().objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_unusable_password()
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if organisation is not None:
        OrganisationMembership.objects.update_or_create(
            user=user,
            organisation=organisation,
            defaults={"status": MembershipStatus.APPROVED, "is_admin": True},
        )
    return user
