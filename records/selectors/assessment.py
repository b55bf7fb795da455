"""The shapes a plan's self-assessment is made of (records/selectors/self_assessment.py) and
the calendar helpers its requirements share."""

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from consultations.models import Consultation
from forums.models import Forum
from plans.cycle import DELIVERED_STATUSES
from plans.models import ActionPlan

# Plans the member has delivered (adopted or further): what the procedural-review clock asks for.
DELIVERED = DELIVERED_STATUSES


class Status(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    # Only for a year line: the year is not over and its count is not reached yet.
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class YearLine:
    """One calendar year of a yearly rule."""

    year: int
    count: int
    needed: int
    status: Status
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    """One minimum requirement. `links` are the records the status was computed from; when
    there are none (`has_records` false) they point at where such records would be."""

    code: str
    title: str
    status: Status
    detail: str
    links: list[Link]
    has_records: bool
    counts: dict[str, int] = field(default_factory=dict)
    years: list[YearLine] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewClock:
    """Contrary to process: no new plan delivered within N months after this one ended."""

    deadline: dt.date
    status: Status  # met (a successor is delivered), not met (overdue), in progress, n/a
    detail: str
    links: list[Link]


@dataclass(frozen=True)
class Influence:
    level: str
    evidence: str


@dataclass(frozen=True)
class SelfAssessment:
    plan: ActionPlan
    standards_version: str
    assessed_from: dt.date
    assessed_until: dt.date
    lines: list[Line]
    clock: ReviewClock
    influence: Influence | None

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(line.status.value for line in self.lines))


@dataclass(frozen=True)
class Context:
    plan: ActionPlan
    version: str
    today: dt.date
    start: dt.date  # when the plan's process began (notice of its timeline, or its period)
    until: dt.date  # the last day judged: the plan's end or today, whichever comes first
    forum: Forum | None
    consultations: list[Consultation]  # the plan's announced consultations, by opening


def local_date(moment: dt.datetime, plan: ActionPlan) -> dt.date:
    return timezone.localtime(moment, plan.member.zone).date()


def day_start(day: dt.date, plan: ActionPlan) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=plan.member.zone)


def calendar_years(first: dt.date, last: dt.date) -> list[int]:
    return list(range(first.year, last.year + 1)) if first <= last else []


def year_status(count: int, needed: int, year: int, today: dt.date) -> Status:
    if count >= needed:
        return Status.MET
    return Status.IN_PROGRESS if year >= today.year else Status.NOT_MET


def overall(years: list[YearLine]) -> Status:
    if not years:
        return Status.NOT_APPLICABLE
    if any(y.status == Status.NOT_MET for y in years):
        return Status.NOT_MET
    if all(y.status == Status.IN_PROGRESS for y in years):
        return Status.NOT_MET  # nothing reached yet, even in the year under way
    return Status.MET
