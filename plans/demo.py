"""Demo action plans: Valdoria's 4th plan 2020–2022 in full, its 5th (a 4-year plan) and the
6th in co-creation; Port Lumen's local plan ending soon with no successor yet (the portal
flags it)."""

import datetime as dt

from ogp_portal.core.seeding import upsert
from ogp_portal.core.translations import translations_save

from .choices import PlanStatus, StandardsVersion
from .models import ActionPlan, PolicyArea

POLICY_AREAS = [
    (
        "Access to Justice",
        "Legal aid, court performance data and plain-language court services.",
        "Free legal aid\nCourt performance data",
    ),
    (
        "Digital Governance",
        "Open data by default, e-services and digital participation.",
        "Open data\nDigital participation",
    ),
    (
        "Fiscal Transparency",
        "An open budget, citizens' budget guides and open contracting.",
        "Open budget\nOpen contracting",
    ),
    (
        "Fight against Corruption",
        "Beneficial ownership, asset declarations and whistleblowers.",
        "Beneficial ownership\nAsset declarations",
    ),
]

VISION = (
    "Valdoria wants a government that people can see into, question and shape. Public money, "
    "courts and public services should be open by default, and people who live far from the "
    "capital should have the same chance to take part as anyone else.\n\n"
    "This fourth plan focuses on four areas where citizens told us trust is lowest: access to "
    "justice, digital public services, how public money is spent, and corruption."
)
EFFORTS = (
    "Valdoria joined OGP in 2012. Earlier plans opened the national budget, created the open "
    "data portal (now 1,400 data sets) and passed the Access to Information Act of 2016. The "
    "IRM found the second plan's open contracting commitment transformative."
)
PROCESS = (
    "The Open Government Unit and the multi-stakeholder forum ran an idea collection from "
    "February to April 2020: 214 proposals came in online and at 9 regional workshops. The "
    "forum selected 31 for discussion; 8 commitments came out of them. Every proposal received "
    "a published response."
)
TIMELINE = (
    "January 2020: timeline and ways to take part published.\n"
    "February–April 2020: idea collection online, by e-mail and in 9 regional workshops.\n"
    "May–June 2020: drafting with agencies and the forum.\n"
    "July 2020: draft plan open for public comment (3 weeks).\n"
    "August 2020: reasoned response published; plan adopted by the forum."
)

TIMELINE_6 = (
    "July 2026: timeline and ways to take part published.\n"
    "November–December 2026: idea collection online, by e-mail and in regional workshops.\n"
    "January–February 2027: drafting with agencies and the forum.\n"
    "March 2027: draft plan open for public comment (4 weeks), then a reasoned response to "
    "every input."
)
NOTICE_6 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)

PLANS = [
    # (member, sequence, title, start, end, standards, status)
    (
        "valdoria",
        4,
        "Fourth National Action Plan 2020–2022",
        dt.date(2020, 9, 1),
        dt.date(2022, 8, 31),
        StandardsVersion.V2017,
        PlanStatus.ENDED,
    ),
    (
        "valdoria",
        5,
        "Fifth National Action Plan 2022–2026",
        dt.date(2022, 9, 1),
        dt.date(2026, 8, 31),
        StandardsVersion.V2021,
        PlanStatus.ENDED,
    ),
    (
        "valdoria",
        6,
        "Sixth National Action Plan 2026–2028",
        dt.date(2026, 9, 1),
        dt.date(2028, 8, 31),
        StandardsVersion.V2021,
        PlanStatus.CO_CREATION,
    ),
    (
        "port-lumen",
        1,
        "Port Lumen Open City Action Plan 2025–2026",
        dt.date(2025, 1, 1),
        dt.date(2026, 12, 31),
        StandardsVersion.V2021,
        PlanStatus.IMPLEMENTATION,
    ),
]


def load(members: dict) -> dict:
    plans = {}
    for slug, sequence, title, start, end, standards, status in PLANS:
        member = members[slug]
        plan = upsert(
            ActionPlan,
            member=member,
            sequence_no=sequence,
            defaults={
                "title": title,
                "period_start": start,
                "period_end": end,
                "standards_version": standards,
                "status": status,
                "primary_language": (member.languages or ["en"])[0],
                "vision": VISION if sequence == 4 else "",
                "efforts_to_date": EFFORTS if sequence == 4 else "",
                "development_process": PROCESS if sequence == 4 else "",
                "co_creation_timeline": {4: TIMELINE, 6: TIMELINE_6}.get(sequence, ""),
                "notice_published_at": NOTICE_6 if sequence == 6 else None,
            },
        )  # fmt: skip
        plans[f"{slug}-{sequence}"] = plan
        if slug == "valdoria":
            for position, (name, description, components) in enumerate(POLICY_AREAS):
                upsert(
                    PolicyArea,
                    plan=plan,
                    name=name,
                    defaults={
                        "description": description,
                        "components": components,
                        "position": position,
                    },
                )
    upsert(
        PolicyArea,
        plan=plans["port-lumen-1"],
        name="Participation municipale",
        defaults={"description": "Budget participatif et conseils de quartier.", "position": 0},
    )
    # The local plan is written in French; its title also exists in English.
    translations_save(
        plans["port-lumen-1"], "en", {"title": "Port Lumen Open City Action Plan 2025–2026"}
    )
    _influence(plans["valdoria-4"])
    return {"plans": plans}


def _influence(plan: ActionPlan) -> None:
    """The plan's self-assessed level of public influence, with what supports it (#16)."""
    from .models import PlanInfluence

    PlanInfluence.objects.get_or_create(
        plan=plan,
        defaults={
            "co_creation_level": "involve",
            "co_creation_support": "Every one of the 214 proposals got a published reasoned "
            "response; 5 became commitments.\n"
            "https://ogp.valdoria.example.org/nap4/reasoned-response",
            "implementation_level": "collaborate",
            "implementation_support": "Civil-society partners co-own the legal aid commitment "
            "and report on it; the forum reviews progress twice a year.",
        },
    )
