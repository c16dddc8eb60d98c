"""Conditions: which organisations a section, or a single item, is meant for.

Plain functions, no database and no HTTP. A condition is what an
instrument file gives under a section's or an item's ``condition:`` key,
after checking (readiness/assessments/condition_file.py), and what
Section.condition and Item.condition store. It is a mapping; every key in
it must hold (so several keys mean "and")::

    {"provides": ["information_advice", "advocacy"]}
    {"organisation_type": ["council"], "provides": ["brokerage"]}
    {"paid_staff": {"at_least": 1}}
    {"size": ["micro", "small"]}
    {"any": [{"provides": ["advocacy"]}, {"volunteers": {"at_least": 10}}]}
    {"not": {"organisation_type": ["council"]}}

The keys:

- ``provides``: the organisation provides ANY of these kinds of service
  (codes from organisations.choices.ServiceKind).
- ``organisation_type``: the organisation is ANY of these types (codes from
  organisations.choices.OrganisationType).
- ``size``: the organisation's size band is ANY of these (codes from
  organisations.choices.SizeBand: paid staff and volunteers counted
  together; micro under 10 people, small under 50, medium under 250, large
  250 or more).
- ``paid_staff``, ``volunteers``: the number the organisation's profile
  gives is ``at_least`` and/or ``at_most`` these (both inclusive).
- ``all``: a list of conditions that must ALL hold.
- ``any``: a list of conditions of which at least ONE must hold.
- ``not``: a condition that must NOT hold.

No condition (None, or an empty mapping): applies to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from personfirst.core.organisations.choices import OrganisationType, ServiceKind, SizeBand, size_band

PROVIDES = "provides"
ORGANISATION_TYPE = "organisation_type"
SIZE = "size"
PAID_STAFF = "paid_staff"
VOLUNTEERS = "volunteers"
ALL = "all"
ANY = "any"
NOT = "not"
AT_LEAST = "at_least"
AT_MOST = "at_most"

# Each key that lists codes, and the fixed list its codes come from, in the
# order the keys are described to people.
CONDITION_CHOICES = {
    PROVIDES: ServiceKind,
    ORGANISATION_TYPE: OrganisationType,
    SIZE: SizeBand,
}
# The keys that compare a number of the profile with at_least / at_most.
COUNTS = {PAID_STAFF: "paid staff", VOLUNTEERS: "volunteers"}
# The keys that combine other conditions.
COMBINERS = (ALL, ANY, NOT)
CONDITION_KEYS = (*CONDITION_CHOICES, *COUNTS, *COMBINERS)
# How many any/all/not may sit inside one another.
MAX_DEPTH = 3
MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class Profile:
    """What a condition looks at of an organisation."""

    org_type: str
    services: frozenset[str] = frozenset()
    paid_staff: int = 0
    volunteers: int = 0

    @property
    def size(self) -> str:
        return size_band(self.paid_staff, self.volunteers).value

    @classmethod
    def of(cls, organisation) -> Profile:
        return cls(
            organisation.org_type,
            frozenset(organisation.services or ()),
            organisation.paid_staff or 0,
            organisation.volunteers or 0,
        )


def applies(
    condition: Mapping[str, Any] | None,
    org_type: str | Profile,
    services: Iterable[str] = (),
    *,
    paid_staff: int = 0,
    volunteers: int = 0,
) -> bool:
    """Does a section (or item) with this condition apply to this organisation?

    Give a Profile, or the organisation's type, services, paid staff and volunteers."""
    profile = (
        org_type
        if isinstance(org_type, Profile)
        else Profile(org_type, frozenset(services), paid_staff or 0, volunteers or 0)
    )
    return condition is None or _holds(condition, profile)


def applies_to(condition: Mapping[str, Any] | None, organisation) -> bool:
    """``applies`` for an Organisation (its profile as it is now)."""
    return condition is None or _holds(condition, Profile.of(organisation))


def _holds(condition: Mapping[str, Any], profile: Profile) -> bool:
    for key, value in condition.items():
        if key == PROVIDES:
            if not set(value) & profile.services:
                return False
        elif key == ORGANISATION_TYPE:
            if profile.org_type not in value:
                return False
        elif key == SIZE:
            if profile.size not in value:
                return False
        elif key in COUNTS:
            number = getattr(profile, key)
            if AT_LEAST in value and number < value[AT_LEAST]:
                return False
            if AT_MOST in value and number > value[AT_MOST]:
                return False
        elif key == ALL:
            if not all(_holds(part, profile) for part in value):
                return False
        elif key == ANY:
            if not any(_holds(part, profile) for part in value):
                return False
        elif key == NOT:
            if _holds(value, profile):
                return False
        else:
            raise ValueError(f"unknown condition {key!r}")
    return True


# -- In words ----------------------------------------------------------------


def describe(condition: Mapping[str, Any] | None) -> str:
    """Plain English for who the section (or item) is for, e.g. on a results page.

    >>> describe({"provides": ["advocacy", "brokerage"]})
    'Only for organisations that provide advocacy, or support planning and brokerage'
    >>> describe({"not": {"paid_staff": {"at_least": 1}}})
    'Only for organisations other than those with at least 1 paid staff'
    """
    if not condition:
        return "For every organisation"
    return "Only for organisations " + _phrase(condition, nested=False)


def _phrase(condition: Mapping[str, Any], nested: bool = True) -> str:
    """The words after "organisations": "that provide advocacy and with at least 1 paid staff".
    A part made of several parts is put in brackets where it sits beside others."""
    parts: list[tuple[str, bool]] = []  # (words, made of several parts)
    # A fixed order, whatever the order of the keys, so the words are the same for the same condition.
    if ORGANISATION_TYPE in condition:
        labels = dict(OrganisationType.choices)
        names = [f"“{labels.get(code, code)}”" for code in condition[ORGANISATION_TYPE]]
        parts.append((f"whose type is {_either(names)}", False))
    if PROVIDES in condition:
        labels = dict(ServiceKind.choices)
        names = [_lower_first(labels.get(code, code)) for code in condition[PROVIDES]]
        parts.append((f"that provide {_either(names)}", False))
    if SIZE in condition:
        labels = dict(SizeBand.choices)
        names = [_size_words(labels.get(code, code)) for code in condition[SIZE]]
        parts.append((f"whose size is {_either(names)}", False))
    for key, noun in COUNTS.items():
        if key in condition:
            parts.append((_count_words(condition[key], noun), False))
    for key, word in ((ALL, "and"), (ANY, "or")):
        if key in condition:
            phrases = [_phrase(part) for part in condition[key]]
            joiner = f", {word} " if len(phrases) > 2 else f" {word} "
            parts.append((joiner.join(phrases), len(phrases) > 1))
    if NOT in condition:
        parts.append(("other than those " + _phrase(condition[NOT]), False))
    if not parts:
        return "of any kind"
    if len(parts) == 1:
        words, several = parts[0]
        return f"({words})" if several and nested else words
    joined = " and ".join(f"({words})" if several else words for words, several in parts)
    return f"({joined})" if nested else joined


def _size_words(label: str) -> str:
    """'Micro: fewer than 10 people' → 'micro (fewer than 10 people)'."""
    name, _colon, detail = label.partition(": ")
    return f"{_lower_first(name)} ({detail})" if detail else _lower_first(name)


def _count_words(bounds: Mapping[str, int], noun: str) -> str:
    low, high = bounds.get(AT_LEAST), bounds.get(AT_MOST)
    if low is not None and high is not None:
        return f"with {low} {noun}" if low == high else f"with {low} to {high} {noun}"
    if low is not None:
        return f"with at least {low} {noun}"
    if high is not None:
        return f"with at most {high} {noun}"
    return f"with any number of {noun}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _either(names: list[str]) -> str:
    """a · a or b · a, b, or c (the comma before "or" keeps labels that contain "and" apart)."""
    if len(names) <= 2:
        return " or ".join(names)
    return ", ".join(names[:-1]) + ", or " + names[-1]
