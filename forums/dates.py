"""Calendar arithmetic in whole months, for terms, rotations and the "every 6 months" rules."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months (negative goes back); the day of the month is
    clamped to the end of a shorter month (31 August − 6 months = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (end after start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months
