"""The demo repository of the Republic of Valdoria: the documents of its process, besides the
entries the demo forum's publications leave there (forums/demo.py).

Added through the service (so the audit trail is there too), each one only if it is missing:
loading twice changes nothing. Dates are relative to today.
"""

import datetime as dt

from django.utils import timezone

from plans.models import ActionPlan

from . import services
from .choices import DocumentType
from .models import OutreachActivity, RepositoryDocument

DOCUMENTS = [
    # (days ago, type, title, linked to the plan)
    (900, DocumentType.ACTION_PLAN, "Fourth National Action Plan 2020–2022", True),
    (880, DocumentType.CO_CREATION_TIMELINE, "Co-creation timeline for the fourth plan", True),
    (420, DocumentType.SELF_ASSESSMENT, "End-of-term self-assessment 2020–2022", True),
    (300, DocumentType.IRM_REPORT, "IRM results report: Valdoria 2020–2022", True),
    (120, DocumentType.COMMITMENT_EVIDENCE, "Open contracting portal: launch evidence", True),
    (60, DocumentType.OTHER, "OGP point of contact: contact details", False),
]


# Outreach for the sixth plan's co-creation (MR 3.2): (plan number, what, where, date,
# audience, materials). They count on its self-assessment and appear in the repository.
OUTREACH = [
    (6, "Launch of the co-creation timeline on national radio", "Radio Valdoria, 98.1 FM",
     dt.date(2026, 7, 2), "About 40,000 listeners; 12 callers", "Interview script, FAQ"),
    (6, "Regional roadshow: how to propose a commitment", "Northtown public library",
     dt.date(2026, 9, 18), "65 residents and 8 local CSOs", "Leaflet, slides"),
    (6, "Social media campaign #OpenValdoria", "Portal and social networks",
     dt.date(2026, 10, 5), "120,000 people reached", "Six short videos"),
    (4, "Workshops with universities on the fourth plan", "University of Valdoria",
     dt.date(2020, 3, 12), "90 students and researchers", "Slides"),
]  # fmt: skip


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def load(loaded: dict) -> dict:
    member = loaded["members"]["valdoria"]
    civil_servant = loaded["people"]["civil.servant@demo.example.org"]
    # The documents of the member's first plan: picked from the database, as forums/demo.py does.
    plan = ActionPlan.objects.filter(member=member).order_by("period_start").first()
    for days, doc_type, title, with_plan in DOCUMENTS:
        if RepositoryDocument.objects.filter(member=member, title=title).exists():
            continue
        slug = title.lower().replace(" ", "-").replace(":", "")
        services.document_add(
            member,
            actor=civil_servant,
            doc_type=doc_type,
            title=title,
            plan=plan if with_plan else None,
            url=f"https://ogp.valdoria.example.org/documents/{slug}.pdf",
            language="en",
            published_at=_ago(days),
        )
    for sequence, title, place, held_on, audience, materials in OUTREACH:
        outreach_plan = ActionPlan.objects.filter(member=member, sequence_no=sequence).first()
        if outreach_plan is None or outreach_plan.is_draft:
            continue
        if OutreachActivity.objects.filter(plan=outreach_plan, title=title).exists():
            continue
        services.outreach_record(
            outreach_plan,
            actor=civil_servant,
            title=title,
            place=place,
            held_on=held_on,
            audience=audience,
            materials=materials,
            evidence_url=f"https://ogp.valdoria.example.org/outreach/{held_on.isoformat()}",
        )
    _who_is_speaking(member, REGIONS)
    port_lumen = loaded["members"].get("port-lumen")
    if port_lumen is not None:
        _who_is_speaking(port_lumen, DISTRICTS)
    # The dashboards' numbers, as the periodic job would count them (issue #18).
    from .dashboard.refresh import refresh_all

    refresh_all()
    return {}


# A member's regions: (name, is the capital); the last one gives no input ("regions with no
# input"). Port Lumen's are the city's districts, Old Harbour being the city centre.
REGIONS = [("Capital District", True), ("North Coast", False), ("Eastern Hills", False)]
REGIONS += [("Southern Plains", False), ("Lake Country", False)]
DISTRICTS = [("Old Harbour", True), ("Northbank", False), ("Eastgate", False)]
DISTRICTS += [("Riverside", False), ("Lighthouse Point", False), ("Westfield", False)]
SIZES = ["micro", "small", "medium", "large"]
GENDERS = ["woman", "man", "woman", "other", "unsaid"]
AGES = ["25_39", "40_59", "under_25", "60_plus", "25_39"]


def _who_is_speaking(member, names: list[tuple[str, bool]]) -> None:
    """The member's regions (the last one with no input), organisations' region and size,
    and a consented profile for the people who gave input, so the who-is-missing charts have
    numbers. An organisation whose name says its region is put there; the others go round
    the regions, every third to the capital. Demo data: set directly, only where empty."""
    from consultations.models import InputEntry
    from ogp_portal.organisations.models import Organisation, PersonProfile, Region

    regions = [
        Region.objects.get_or_create(member=member, name=name, defaults={"is_capital": cap})[0]
        for name, cap in names
    ]
    capital, speaking = regions[0], regions[:-1]  # the last one stays silent
    for i, org in enumerate(Organisation.objects.filter(member=member, region=None).order_by("pk")):
        named = [region for region in speaking if region.name in org.name]
        org.region = named[0] if named else speaking[i % len(speaking)] if i % 3 else capital
        org.size = org.size or SIZES[i % len(SIZES)]
        org.save(update_fields=["region", "size"])
    authors = (
        InputEntry.objects.filter(plan__member=member, author__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
        .order_by("author_id")
    )
    for i, user_id in enumerate(authors):
        PersonProfile.objects.get_or_create(
            user_id=user_id,
            defaults={
                "region": speaking[i % len(speaking)],
                "gender": GENDERS[i % len(GENDERS)],
                "age_band": AGES[i % len(AGES)],
                "consent_at": timezone.now(),
            },
        )
