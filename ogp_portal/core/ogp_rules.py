"""The OGP thresholds in force for a rule set (settings.OGP_RULES)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

DEFAULT_STANDARDS_VERSION = "2021"


def rule(name: str, standards_version: str | None = None) -> Any:
    """The value of threshold `name` under `standards_version` (2021 when not given)."""
    return settings.OGP_RULES[standards_version or DEFAULT_STANDARDS_VERSION][name]


def earliest_after_notice(
    notice_at: dt.datetime, days: int, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """The first instant allowed `days` calendar days after a notice given at `notice_at`:
    00:00 of the day `days` days after the notice's day, both read in `tz` (the member's zone).

    Calendar days, not multiples of 24 hours: a notice given on D at 14:37 allows D+14 at
    00:00, whatever clock change falls in between, and the instant has no seconds to hide."""
    zone = tz or timezone.get_default_timezone()
    day = timezone.localtime(notice_at, zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def wall_clock_days_later(
    moment: dt.datetime, days: int, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """The same wall-clock time `days` calendar days after `moment`, read in `tz`: a two-week
    window opening at 09:00 closes at 09:00 two weeks later, even across a clock change."""
    zone = tz or timezone.get_default_timezone()
    local = timezone.localtime(moment, zone).replace(tzinfo=None) + dt.timedelta(days=days)
    return local.replace(tzinfo=zone)
