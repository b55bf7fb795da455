"""What a dashboard page draws: a bounded cut of a snapshot's numbers, made when the numbers
are counted (refresh.py) and stored beside them as `data["page"]`, so a page reads and draws
the same few dozen rows whether the portal holds ten inputs or ten million. The complete
lists stay in the snapshot for the CSV under each chart (charts.csv_table).

What is cut, and how the page says so:
- participation: the WEEKS weeks up to the latest input (weeks without inputs count 0), split
  by the TOP_CONSULTATIONS consultations with most inputs in those weeks, the rest folded
  into "all others";
- plans: the PLANS plans with commitments that started most recently;
- policy areas and regions: the AREAS / REGIONS with the fewest voices (the point of "who is
  missing"), and how many areas have one or no organisation, how many regions none;
- organisations that stopped taking part: the first RETURNING names.
Each cut keeps the full count, so the page can say "n of N; the CSV lists them all"."""

import datetime as dt
from collections import defaultdict
from typing import Any

# Bump when the page's shape changes: a stored page of another version is counted again.
VERSION = 1
WEEKS = 26
TOP_CONSULTATIONS = 3
PLANS = 20
AREAS = 15
REGIONS = 15
RETURNING = 25


def _weeks_up_to(last: str, count: int) -> list[str]:
    end = dt.date.fromisoformat(last)
    return [(end - dt.timedelta(weeks=count - 1 - i)).isoformat() for i in range(count)]


def participation(part: dict[str, Any]) -> dict[str, Any]:
    """Inputs and first-time participants for the last WEEKS weeks with the top consultations
    of those weeks; consultation ids are keys ("" for inputs outside a consultation)."""
    weekly = part["weekly"]
    all_weeks = sorted({w for w, _c, _n in weekly})
    if not all_weeks:
        return {"weeks": [], "totals": [], "top": [], "others": [], "first_time": [], "count": 0}
    weeks = _weeks_up_to(all_weeks[-1], min(WEEKS, _span(all_weeks[0], all_weeks[-1])))
    index = {w: i for i, w in enumerate(weeks)}
    by_consultation: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    for week, consultation, n in weekly:
        if week in index:
            by_consultation[str(consultation or "")][index[week]] += n
    ranked = sorted(by_consultation.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    top = ranked[:TOP_CONSULTATIONS]
    folded = ranked[TOP_CONSULTATIONS:]
    others = [sum(counts[i] for _c, counts in folded) for i in range(len(weeks))]
    titles = part["consultations"]
    firsts = dict(part["first_time"])
    return {
        "weeks": weeks,
        "totals": [sum(counts[i] for _c, counts in ranked) for i in range(len(weeks))],
        "top": [[titles.get(c, "") if c else "", counts] for c, counts in top],
        "others": others if any(others) else [],
        "first_time": [firsts.get(w, 0) for w in weeks],
        "count": len(all_weeks),
        "since": all_weeks[0],
    }


def _span(first: str, last: str) -> int:
    """Weeks from the week of `first` to the week of `last`, both counted."""
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days // 7 + 1


def plans(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The PLANS plans that started most recently among those with commitments (a plan
    without any has no completion to show), then the newest others; in the order of the
    full list."""
    newest = sorted(
        rows, key=lambda p: (p["commitments"] > 0, p.get("start", ""), p["plan"]), reverse=True
    )[:PLANS]
    keep = {p["plan"] for p in newest}
    return {"rows": [p for p in rows if p["plan"] in keep], "count": len(rows)}


def policy_areas(rows: list[list[Any]]) -> dict[str, Any]:
    """Fewest voices first (as counted); those with one organisation or none."""
    few = [r for r in rows if r[1] <= 1]
    return {
        "rows": rows[:AREAS],
        "count": len(rows),
        "few": few[:AREAS],
        "few_more": max(len(few) - AREAS, 0),
    }


def regions(counted: dict[str, Any]) -> dict[str, Any]:
    rows = counted["by_region"]
    silent = [label for label, n in rows if n == 0]
    return {
        "by_region": rows[:REGIONS],
        "count": len(rows),
        "silent": silent[:REGIONS],
        "silent_more": max(len(silent) - REGIONS, 0),
        "located": counted["located"],
        "outside_capital_pct": counted["outside_capital_pct"],
    }


def page(data: dict[str, Any]) -> dict[str, Any]:
    """The bounded numbers one page draws, from a snapshot's complete numbers."""
    missing = data["missing"]
    return {
        "version": VERSION,
        "plans": plans(data["plans"]),
        "participation": participation(data["participation"]),
        "inputs": data["inputs"],
        "missing": {
            "policy_areas": policy_areas(missing["policy_areas"]),
            "regions": regions(missing["regions"]),
            "seats": missing["seats"],
            "returning": {
                "names": missing["returning"][:RETURNING],
                "more": max(len(missing["returning"]) - RETURNING, 0),
            },
            "profiles": missing["profiles"],
        },
    }
