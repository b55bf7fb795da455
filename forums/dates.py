"""Calendar arithmetic in whole months, for terms, rotations and the "every 6 months" rules.

Thin names over python-dateutil (already used by the plan cycle rules), which clamps the day
to the end of a shorter month: 31 August − 6 months = 28/29 February.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months (negative goes back)."""
    return day + relativedelta(months=months)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (end after start)."""
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months
