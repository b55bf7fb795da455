"""The dashboards' charts, drawn from the bounded cut of a snapshot's numbers (page.py) with
ogp_portal/core/charts.py (accessible SVG, the same numbers in a table, a CSV each), and the
complete tables their CSVs serve (csv_table). Labels are translated here, so the stored
numbers serve every language."""

from collections.abc import Callable
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultations.choices import InputChannel, InputKind, ResponseDecision
from forums.choices import Sector
from ogp_portal.core.charts import Bar, Chart, bar_chart
from ogp_portal.organisations.choices import AgeBand, Gender, OrganisationKind, OrganisationSize
from plans.choices import InfluenceLevel

from .vital import ANSWERED, AWAITING


def fewer_than_five() -> str:
    return _("fewer than 5")


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except (ValueError, AttributeError):
        return code


def _decision(code: str) -> str:
    if code == AWAITING:
        return _("Awaiting a response")
    if code == ANSWERED:
        return _("Answered")
    return _label(ResponseDecision, code)


def _week(iso: str) -> str:
    day = parse_date(iso)
    return _("Week of %(day)s") % {"day": date_format(day, "j M Y")} if day else iso


def _counts(
    slug: str,
    title: str,
    counts: list[tuple[str, int | None]],
    *,
    csv: Callable[[str], str],
    label_header: str,
    value_header: str,
    description: str = "",
) -> Chart:
    """A bar per count; a suppressed count (None) has no bar and reads "fewer than 5"."""
    chart = bar_chart(
        slug,
        title,
        [Bar(label, n) for label, n in counts if n is not None],
        label_header=label_header,
        value_header=value_header,
        csv_url=csv(slug),
        description=description,
    )
    chart.rows = [[label, fewer_than_five() if n is None else n] for label, n in counts]
    return chart


RESPONSE_TIME_LABELS = {
    "2w": lambda: _("Within 2 weeks"),
    "1m": lambda: _("2 weeks to a month"),
    "3m": lambda: _("1 to 3 months"),
    "later": lambda: _("Over 3 months"),
    AWAITING: lambda: _("Awaiting a response"),
}


def _shown(chart: Chart, note: str) -> Chart:
    """A chart of part of a longer list says so beside its table (its CSV has it all)."""
    chart.extra["note"] = note
    return chart


def _plan_table(plans: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Plan"),
        _("Level of public influence (self-assessed)"),
        _("Ambitious commitments (IRM, %)"),
        _("Completion from"),
        _("Completion (%)"),
    ]
    rows = [
        [
            p["label"],
            _label(InfluenceLevel, p["influence"]) if p["influence"] else _("Not recorded"),
            _("Not assessed") if p["ambition"] is None else p["ambition"],
            _("IRM") if p["completion_source"] == "irm" else _("Portal"),
            _("No commitments yet") if p["completion"] is None else p["completion"],
        ]
        for p in plans
    ]
    return headers, rows


def _consultation(title: str) -> str:
    return title or _("Outside a consultation")


def vital_charts(page: dict[str, Any], csv: Callable[[str], str]) -> dict[str, Chart]:
    plans = page["plans"]["rows"]
    plan_chart = bar_chart(
        "plans",
        _("Completion of each plan"),
        [Bar(p["label"], p["completion"]) for p in plans if p["completion"] is not None],
        label_header=_("Plan"),
        value_header=_("Completion (%)"),
        csv_url=csv("plans"),
        description=_(
            "For each plan, the share of commitments completed (IRM assessment where imported, "
            "the portal’s own status otherwise). The table adds the level of public influence "
            "and ambition."
        ),
    )
    plan_chart.headers, plan_chart.rows = _plan_table(plans)
    if page["plans"]["count"] > len(plans):
        _shown(
            plan_chart,
            _(
                "The %(shown)s plans with commitments that started most recently, of "
                "%(count)s plans. The CSV lists every plan."
            )
            % {"shown": len(plans), "count": page["plans"]["count"]},
        )

    part = page["participation"]
    weeks = part["weeks"]
    weekly = bar_chart(
        "weekly",
        _("Inputs per week"),
        [Bar(_week(w), n) for w, n in zip(weeks, part["totals"], strict=True)],
        label_header=_("Week"),
        value_header=_("Inputs"),
        csv_url=csv("weekly"),
        description=_(
            "Public inputs received each week; the table splits them by the consultations "
            "with most inputs in these weeks."
        ),
    )
    columns = [(_consultation(title), counts) for title, counts in part["top"]]
    if part["others"]:
        columns.append((_("All others"), part["others"]))
    weekly.headers = [_("Week"), *(title for title, _c in columns), _("Inputs")]
    weekly.rows = [
        [_week(w), *(counts[i] for _t, counts in columns), part["totals"][i]]
        for i, w in enumerate(weeks)
    ]
    first = bar_chart(
        "first-time",
        _("First-time participants per week"),
        [Bar(_week(w), n) for w, n in zip(weeks, part["first_time"], strict=True)],
        label_header=_("Week"),
        value_header=_("New participants"),
        csv_url=csv("first-time"),
        description=_("Organisations and people giving their first public input, week by week."),
    )
    if part["count"] and (len(weeks) < part["count"] or part["others"]):
        note = _(
            "The last %(weeks)s weeks up to the latest input. Inputs came in during "
            "%(count)s weeks since the week of %(since)s; the CSV has every week and "
            "every consultation."
        ) % {"weeks": len(weeks), "count": part["count"], "since": _day(part["since"])}
        _shown(weekly, note)
        _shown(first, note)

    inputs = page["inputs"]

    def by(
        slug: str, title: str, counts: dict[str, int], label: Callable[[str], str], header: str
    ) -> Chart:
        return bar_chart(
            slug,
            title,
            [Bar(label(code), n) for code, n in sorted(counts.items(), key=lambda kv: -kv[1])],
            label_header=header,
            value_header=_("Inputs"),
            csv_url=csv(slug),
        )

    kinds = by(
        "kinds",
        _("Inputs by kind"),
        inputs["by_kind"],
        lambda c: _label(InputKind, c),
        _("Kind of input"),
    )
    channels = by(
        "channels",
        _("Inputs by channel"),
        inputs["by_channel"],
        lambda c: _label(InputChannel, c),
        _("Channel"),
    )
    decisions = by(
        "decisions", _("Responses by decision"), inputs["by_decision"], _decision, _("Decision")
    )
    times = inputs["response_time"]
    median = inputs["median_days"]
    response_time = bar_chart(
        "response-time",
        _("Time to a published response"),
        [Bar(str(label()), times.get(code, 0)) for code, label in RESPONSE_TIME_LABELS.items()],
        label_header=_("Time"),
        value_header=_("Inputs"),
        csv_url=csv("response-time"),
        description=(
            _("Half the answered inputs had their response within %(days)s days.")
            % {"days": median}
            if median is not None
            else _("No input has a published response yet.")
        ),
    )
    return {
        "plans": plan_chart,
        "weekly": weekly,
        "first-time": first,
        "kinds": kinds,
        "channels": channels,
        "decisions": decisions,
        "response-time": response_time,
    }


def _day(iso: str) -> str:
    day = parse_date(iso)
    return date_format(day, "j M Y") if day else iso


def missing_charts(page: dict[str, Any], csv: Callable[[str], str]) -> dict[str, Chart]:
    missing = page["missing"]
    area_cut = missing["policy_areas"]
    areas = bar_chart(
        "policy-areas",
        _("Civil-society organisations engaged per policy area"),
        [Bar(label, n) for label, n in area_cut["rows"]],
        label_header=_("Policy area"),
        value_header=_("Organisations"),
        csv_url=csv("policy-areas"),
        description=_(
            "Civil-society organisations that gave public input on each policy area of the "
            "current plan, fewest first: none or only one means few voices."
        ),
    )
    if area_cut["count"] > len(area_cut["rows"]):
        _shown(
            areas,
            _(
                "The %(shown)s policy areas with fewest organisations, of %(count)s. "
                "The CSV lists every policy area."
            )
            % {"shown": len(area_cut["rows"]), "count": area_cut["count"]},
        )
    region_cut = missing["regions"]
    regions = _counts(
        "regions",
        _("Inputs per region"),
        [(label, n) for label, n in region_cut["by_region"]],
        csv=csv,
        label_header=_("Region"),
        value_header=_("Inputs"),
        description=_("Public inputs by the region of the organisation or person, fewest first."),
    )
    if region_cut["count"] > len(region_cut["by_region"]):
        _shown(
            regions,
            _("The %(shown)s regions with fewest inputs, of %(count)s. The CSV lists every region.")
            % {"shown": len(region_cut["by_region"]), "count": region_cut["count"]},
        )
    seat_rows = missing["seats"]
    seats = bar_chart(
        "seats",
        _("Vacant forum seats per sector"),
        [Bar(_label(Sector, s), allocated - filled) for s, allocated, filled in seat_rows],
        label_header=_("Sector"),
        value_header=_("Vacant seats"),
        csv_url=csv("seats"),
    )
    seats.headers = [_("Sector"), _("Seats"), _("Filled"), _("Vacant seats")]
    seats.rows = [
        [_label(Sector, s), allocated, filled, allocated - filled]
        for s, allocated, filled in seat_rows
    ]
    profiles = missing["profiles"]
    out = {"policy-areas": areas, "regions": regions, "seats": seats}
    for key, title, choices, header in (
        ("kind", _("Organisations that gave input, by kind"), OrganisationKind, _("Kind")),
        ("size", _("Organisations that gave input, by size"), OrganisationSize, _("Size")),
        ("gender", _("People who gave input, by gender (with consent)"), Gender, _("Gender")),
        ("age", _("People who gave input, by age band (with consent)"), AgeBand, _("Age band")),
    ):
        slug = f"profile-{key}"
        out[slug] = _counts(
            slug,
            title,
            [
                (_("Not given") if code == "unknown" else _label(choices, code), n)
                for code, n in profiles[key].items()
            ],
            csv=csv,
            label_header=header,
            value_header=_("Count"),
            description=_("Counts below 5 are not shown, so that nobody can be recognised."),
        )
    return out


def csv_table(
    slug: str, data: dict[str, Any], csv: Callable[[str], str]
) -> tuple[list[str], list[list[Any]]] | None:
    """The headers and rows of a chart's CSV, from the snapshot's complete numbers: every
    plan, week, consultation, policy area and region, where the page shows a part. None: no
    such chart. `returning` is the list of organisations that stopped taking part."""
    part = data["participation"]
    missing = data["missing"]
    if slug == "plans":
        return _plan_table(data["plans"])
    if slug == "weekly":
        titles = part["consultations"]
        return [_("Week"), _("Consultation"), _("Inputs")], [
            [_week(w), _consultation(titles.get(str(c), "") if c else ""), n]
            for w, c, n in part["weekly"]
        ]
    if slug == "first-time":
        return [_("Week"), _("New participants")], [[_week(w), n] for w, n in part["first_time"]]
    if slug == "policy-areas":
        return [_("Policy area"), _("Organisations")], missing["policy_areas"]
    if slug == "regions":
        return [_("Region"), _("Inputs")], [
            [label, fewer_than_five() if n is None else n]
            for label, n in missing["regions"]["by_region"]
        ]
    if slug == "returning":
        return [_("Organisation")], [[name] for name in missing["returning"]]
    # The other charts show every row already: their CSV is their table.
    chart = vital_charts(data["page"], csv).get(slug) or missing_charts(data["page"], csv).get(slug)
    return (chart.headers, chart.rows) if chart else None
