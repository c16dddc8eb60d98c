"""Working days in England: the moderation clock.

A decision on a new or changed entry is due within five working days.
Working days are Monday to Friday that are not bank holidays in England,
from the ``holidays`` package (kept up to date by its maintainers, with
substitute days and one-off holidays such as coronations).

The day something arrives does not count: it is day 0, and the decision
is due by the end of the fifth working day after it. An entry that
arrives on a weekend or a bank holiday starts from the next working day
just the same.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

DECISION_DAYS = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(day.year)


def bank_holiday_name(day: datetime.date) -> str | None:
    return _bank_holidays(day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def due_on(arrived: datetime.date) -> datetime.date:
    """The last day on which a decision is on time."""
    return add_working_days(arrived, DECISION_DAYS)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end is not later)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
