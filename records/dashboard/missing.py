"""Who is missing (issue #18, item 2), from public records and profiles. Profile data (region,
kind and size of organisation, and with consent gender and age band) leaves this module only
as counts, and counts from 1 to SMALL - 1 leave it as None ("fewer than 5"): the raw small
numbers are never stored."""

from collections import defaultdict
from typing import Any

from django.db.models import Count

from consultations.models import InputEntry
from forums.models import ForumSeat, SeatAllocation
from ogp_portal.organisations.choices import OrganisationKind
from ogp_portal.organisations.models import PersonProfile, Region
from plans.models import PolicyArea

from .vital import public_entries, public_plans

SMALL = 5


def suppress(count: int) -> int | None:
    """0 stays 0 (nobody: the point of "who is missing"); 1 to 4 become None."""
    return None if 0 < count < SMALL else count


def _current_and_previous(member_id: int | None) -> tuple[list[int], list[int]]:
    """Each member's newest public plan, and the one before it."""
    current: list[int] = []
    previous: list[int] = []
    seen: dict[int, int] = defaultdict(int)
    for plan_id, owner in (
        public_plans(member_id).order_by("member_id", "-sequence_no").values_list("pk", "member_id")
    ):
        seen[owner] += 1
        if seen[owner] == 1:
            current.append(plan_id)
        elif seen[owner] == 2:
            previous.append(plan_id)
    return current, previous


def policy_areas(current: list[int], multi: bool) -> list[list[Any]]:
    """[area label, CSOs that gave input on it] for the current plans, fewest first."""
    engaged = dict(
        InputEntry.objects.public()
        .filter(policy_area__plan_id__in=current, organisation__kind=OrganisationKind.CSO)
        .values_list("policy_area_id")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    areas = PolicyArea.objects.filter(plan_id__in=current).values_list(
        "pk", "name", "plan__member__name"
    )
    rows = [
        [f"{member}: {name}" if multi else name, engaged.get(pk, 0)] for pk, name, member in areas
    ]
    return sorted(rows, key=lambda r: (r[1], r[0]))


def regions(member_id: int | None, multi: bool) -> dict[str, Any]:
    """Inputs per region (the organisation's region, else the person's), small counts
    suppressed; and the share of inputs from outside the capital region."""
    region_rows = (
        Region.objects.all() if not member_id else Region.objects.filter(member_id=member_id)
    )
    known = {
        pk: (f"{member}: {name}" if multi else name, capital)
        for pk, name, member, capital in region_rows.values_list(
            "pk", "name", "member__name", "is_capital"
        )
    }
    counts: dict[int, int] = defaultdict(int)
    for org_region, person_region, n in (
        public_entries(member_id)
        .values_list("organisation__region_id", "author__person_profile__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        region = org_region or person_region
        if region in known:
            counts[region] += n
    located = sum(counts.values())
    outside = sum(n for pk, n in counts.items() if not known[pk][1])
    return {
        "by_region": sorted(
            ([label, suppress(counts.get(pk, 0))] for pk, (label, _c) in known.items()),
            key=lambda r: (r[1] is not None, r[1] or 0, r[0]),
        ),
        "located": suppress(located),
        "outside_capital_pct": round(100 * outside / located) if located >= SMALL else None,
    }


def seats(member_id: int | None) -> list[list[Any]]:
    """[sector, seats allocated, seats filled today] over the forums."""
    allocations = SeatAllocation.objects.all()
    filled = ForumSeat.objects.current().occupying()
    if member_id:
        allocations = allocations.filter(forum__member_id=member_id)
        filled = filled.filter(forum__member_id=member_id)
    allocated: dict[str, int] = defaultdict(int)
    for sector, n in allocations.values_list("sector", "seats"):
        allocated[sector] += n
    taken = dict(filled.values_list("sector").annotate(n=Count("pk")).order_by())
    return [[sector, n, min(taken.get(sector, 0), n)] for sector, n in sorted(allocated.items())]


def returning(member_id: int | None, current: list[int], previous: list[int]) -> list[str]:
    """Organisations that gave input on a member's previous plan but not on its current one
    (organisations are public; their names are listed)."""
    if not previous:
        return []
    entries = public_entries(member_id).filter(organisation__isnull=False)
    before = set(
        entries.filter(plan_id__in=previous).values_list("organisation_id", "organisation__name")
    )
    now = set(entries.filter(plan_id__in=current).values_list("organisation_id", flat=True))
    return sorted(name for pk, name in before if pk not in now)


def profiles(member_id: int | None) -> dict[str, dict[str, int | None]]:
    """Who gave input, by kind and size of organisation and (with consent) gender and age
    band of the people: each count suppressed below SMALL."""
    entries = public_entries(member_id)
    org_ids = set(entries.exclude(organisation=None).values_list("organisation_id", flat=True))
    people = set(entries.exclude(author=None).values_list("author_id", flat=True))
    from ogp_portal.organisations.models import Organisation

    kinds: dict[str, int] = defaultdict(int)
    sizes: dict[str, int] = defaultdict(int)
    for kind, size in Organisation.objects.filter(pk__in=org_ids).values_list("kind", "size"):
        kinds[kind] += 1
        sizes[size or "unknown"] += 1
    genders: dict[str, int] = defaultdict(int)
    ages: dict[str, int] = defaultdict(int)
    consented = PersonProfile.objects.filter(user_id__in=people, consent_at__isnull=False)
    for gender, age in consented.values_list("gender", "age_band"):
        genders[gender or "unsaid"] += 1
        ages[age or "unsaid"] += 1

    def done(counts: dict[str, int]) -> dict[str, int | None]:
        return {k: suppress(v) for k, v in sorted(counts.items())}

    return {"kind": done(kinds), "size": done(sizes), "gender": done(genders), "age": done(ages)}


def who_is_missing(member_id: int | None) -> dict[str, Any]:
    current, previous = _current_and_previous(member_id)
    multi = member_id is None
    return {
        "policy_areas": policy_areas(current, multi),
        "regions": regions(member_id, multi),
        "seats": seats(member_id),
        "returning": returning(member_id, current, previous) if member_id else [],
        "profiles": profiles(member_id),
    }
