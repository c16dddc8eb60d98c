"""Evidence and the date achieved: what an item asks for with ``evidence: true``.

Any item, of any type, may ask for evidence: a short text saying what
shows the answer is right (a policy, a survey, minutes), and, when the
answer is the highest point of the item's scale, the date that was
achieved. It is switched on item by item (``evidence: true`` in the
definition file, kept in the item's ``settings``), because only some
statements have evidence worth asking for.

- ``evidence``: optional text, at most ``MAX_EVIDENCE`` characters;
- ``achieved_on``: optional date (YYYY-MM-DD), only with the highest
  answer, and never in the future.

The item types call these from ``ItemType.clean``, ``form_fields``,
``form_initial`` and ``form_values`` (items.py), so the web page and the
API check them in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils import timezone

from personfirst.core.validation import Collector

MAX_EVIDENCE = 1000
SETTING = "evidence"

EVIDENCE_LABEL = "Evidence (optional)"
EVIDENCE_HINT = f"What shows this is right, such as a policy, a survey or minutes. Up to {MAX_EVIDENCE:,} characters."
ACHIEVED_LABEL = "Date achieved (optional)"
ACHIEVED_HINT = "Only if you chose the highest answer: when you got there, for example 2026-03-31."
ACHIEVED_INVALID = "Enter the date achieved as a real date, like 2026-03-31"
ACHIEVED_FUTURE = "The date achieved must be today or in the past"
ACHIEVED_NOT_TOP = "Leave the date achieved empty unless you chose the highest answer"


def asks(settings: Mapping[str, Any]) -> bool:
    """Whether an item (by its settings) asks for evidence."""
    return bool((settings or {}).get(SETTING))


def today() -> datetime.date:
    return timezone.localdate()


def clean(
    settings: Mapping[str, Any], given: Mapping[str, Any], at_top: Callable[[], bool], problems: Collector
) -> dict[str, Any]:
    """The evidence fields of an answer, checked. ``at_top`` says whether the
    answer is the highest point of the item's scale. Returns {} for an item
    that does not ask for evidence (and refuses evidence given to it)."""
    evidence = given.get("evidence")
    achieved = given.get("achieved_on")
    if not asks(settings):
        for name, value in (("evidence", evidence), ("achieved_on", achieved)):
            if value not in (None, ""):
                problems.add(name, "This question does not ask for evidence or a date achieved.")
        return {}
    cleaned: dict[str, Any] = {"evidence": "", "achieved_on": None}
    if evidence not in (None, ""):
        if not isinstance(evidence, str):
            problems.add("evidence", "Evidence must be text.")
        elif len(evidence.strip()) > MAX_EVIDENCE:
            problems.add("evidence", f"Evidence must be {MAX_EVIDENCE:,} characters or fewer")
        else:
            cleaned["evidence"] = evidence.strip()
    if achieved not in (None, ""):
        when = _date(achieved)
        if when is None:
            problems.add("achieved_on", ACHIEVED_INVALID)
        elif when > today():
            problems.add("achieved_on", ACHIEVED_FUTURE)
        elif given.get("not_relevant") or not at_top():
            problems.add("achieved_on", ACHIEVED_NOT_TOP)
        else:
            cleaned["achieved_on"] = when
    return cleaned


def _date(value: Any) -> datetime.date | None:
    from .items import iso_date

    if isinstance(value, datetime.datetime):
        return None
    return iso_date(value)


# -- The section page


def evidence_field(key: str) -> str:
    return f"evidence-{key}"


def achieved_field(key: str) -> str:
    return f"achieved-{key}"


def field_name(key: str, path: tuple[str, ...]) -> str | None:
    if path == ("evidence",):
        return evidence_field(key)
    if path == ("achieved_on",):
        return achieved_field(key)
    return None


def form_fields(key: str, settings: Mapping[str, Any]) -> dict[str, forms.Field]:
    if not asks(settings):
        return {}
    return {
        evidence_field(key): forms.CharField(
            label=EVIDENCE_LABEL,
            help_text=EVIDENCE_HINT,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_EVIDENCE}),
        ),
        achieved_field(key): forms.DateField(
            label=ACHIEVED_LABEL,
            help_text=ACHIEVED_HINT,
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": ACHIEVED_INVALID},
        ),
    }


def form_initial(key: str, settings: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    if not asks(settings):
        return {}
    return {evidence_field(key): stored.get("evidence") or "", achieved_field(key): stored.get("achieved_on")}


def form_values(key: str, settings: Mapping[str, Any], cleaned: Mapping[str, Any]) -> dict[str, Any]:
    if not asks(settings):
        return {}
    values: dict[str, Any] = {}
    if cleaned.get(evidence_field(key)):
        values["evidence"] = cleaned[evidence_field(key)]
    if isinstance(cleaned.get(achieved_field(key)), datetime.date):
        values["achieved_on"] = cleaned[achieved_field(key)].isoformat()
    return values


# -- In words


def details(stored: Mapping[str, Any]) -> list[str]:
    """Lines for results and check-answers pages."""
    lines = []
    if stored.get("evidence"):
        lines.append(f"Evidence: {stored['evidence']}")
    when = _date(stored.get("achieved_on"))
    if when is not None:
        lines.append(f"Achieved on {when.day} {when:%B %Y}")
    return lines
