"""The demo national action plan 2020–2022 with its four policy areas."""

import datetime as dt

from .choices import PlanStatus, StandardsVersion
from .models import ActionPlan, PolicyArea

POLICY_AREAS = [
    ("Access to Justice", "Legal aid, court performance data and plain-language court services."),
    ("Digital Governance", "Open data by default, e-services and digital participation."),
    ("Fiscal Transparency", "An open budget, citizens' budget guides and open contracting."),
    ("Fight against Corruption", "Beneficial ownership, asset declarations and whistleblowers."),
]


def load(members: dict) -> dict:
    valdoria = members["valdoria"]
    plan, _ = ActionPlan.objects.update_or_create(
        member=valdoria,
        sequence_no=4,
        defaults={
            "title": "Fourth National Action Plan 2020–2022",
            "period_start": dt.date(2020, 9, 1),
            "period_end": dt.date(2022, 8, 31),
            "standards_version": StandardsVersion.V2017,
            "status": PlanStatus.ENDED,
        },
    )
    for position, (name, description) in enumerate(POLICY_AREAS):
        PolicyArea.objects.update_or_create(
            plan=plan, name=name, defaults={"description": description, "position": position}
        )
    return {"plans": {"valdoria-2020": plan}}
