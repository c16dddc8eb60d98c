"""Calendar quarters (January to March is the first), in UK time.

A quarter is stored as one whole number, year × 4 + (quarter − 1), so that
quarters sort and subtract as numbers: the first quarter of 2026 is 8104.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def quarter_of(when: datetime | date) -> int:
    if isinstance(when, datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return when.year * 4 + (when.month - 1) // 3


def year(quarter: int) -> int:
    return quarter // 4


def first_month(quarter: int) -> int:
    """1 to 12."""
    return (quarter % 4) * 3 + 1


def start(quarter: int) -> date:
    return date(year(quarter), first_month(quarter), 1)


def label(quarter: int) -> str:
    """'January to March 2026'."""
    month = first_month(quarter)
    return f"{MONTHS[month - 1]} to {MONTHS[month + 1]} {year(quarter)}"


def period_label(first: int, last: int) -> str:
    """One quarter, or a run of them: 'October 2025 to March 2026'."""
    if first == last:
        return label(first)
    start_month, end_month = first_month(first), first_month(last) + 2
    if year(first) == year(last):
        return f"{MONTHS[start_month - 1]} to {MONTHS[end_month - 1]} {year(last)}"
    return f"{MONTHS[start_month - 1]} {year(first)} to {MONTHS[end_month - 1]} {year(last)}"


def short_label(first: int, last: int) -> str:
    """'Jan–Mar 2026', 'Oct 2025–Mar 2026': for a chart's axis."""
    start_month, end_month = first_month(first), first_month(last) + 2
    start, end = MONTHS[start_month - 1][:3], MONTHS[end_month - 1][:3]
    if year(first) == year(last):
        return f"{start}–{end} {year(last)}"
    return f"{start} {year(first)}–{end} {year(last)}"


def starts_label(quarter: int) -> str:
    """'January 2026': how a period's first month reads in a 'from' list."""
    return f"{MONTHS[first_month(quarter) - 1]} {year(quarter)}"


def ends_label(quarter: int) -> str:
    """'March 2026': how a period's last month reads in a 'to' list."""
    return f"{MONTHS[first_month(quarter) + 1]} {year(quarter)}"
