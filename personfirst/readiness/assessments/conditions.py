"""Section conditions: which organisations a section is meant for.

Plain functions, no database and no HTTP. A condition is what an
instrument file gives under a section's ``condition:`` key, after checking
(see readiness/instrument_file.py), and what Section.condition stores::

    {"provides": ["information_advice", "advocacy"]}
    {"organisation_type": ["council"], "provides": ["brokerage"]}

- ``provides``: the organisation provides ANY of these kinds of service
  (codes from organisations.choices.ServiceKind).
- ``organisation_type``: the organisation is ANY of these types (codes from
  organisations.choices.OrganisationType).
- Both given: both must hold. No condition (None): applies to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from personfirst.core.organisations.choices import OrganisationType, ServiceKind

PROVIDES = "provides"
ORGANISATION_TYPE = "organisation_type"

# Each condition key and the fixed list its codes come from, in the order
# the keys are described to people.
CONDITION_CHOICES = {
    PROVIDES: ServiceKind,
    ORGANISATION_TYPE: OrganisationType,
}


def applies(condition: Mapping[str, Sequence[str]] | None, org_type: str, services: Iterable[str]) -> bool:
    """Does a section with this condition apply to an organisation of this type with these services?"""
    if condition is None:
        return True
    unknown = set(condition) - set(CONDITION_CHOICES)
    if unknown:
        raise ValueError(f"unknown condition {sorted(unknown)[0]!r}")
    if PROVIDES in condition and not set(condition[PROVIDES]) & set(services):
        return False
    return not (ORGANISATION_TYPE in condition and org_type not in condition[ORGANISATION_TYPE])


def describe(condition: Mapping[str, Sequence[str]] | None) -> str:
    """Plain English for who the section is for, e.g. on a results page.

    >>> describe({"provides": ["advocacy", "brokerage"]})
    'Only for organisations that provide advocacy, or support planning and brokerage'
    """
    if not condition:
        return "For every organisation"
    parts = []
    if ORGANISATION_TYPE in condition:
        labels = dict(OrganisationType.choices)
        names = [f"“{labels.get(code, code)}”" for code in condition[ORGANISATION_TYPE]]
        parts.append(f"whose type is {_either(names)}")
    if PROVIDES in condition:
        labels = dict(ServiceKind.choices)
        names = [_lower_first(labels.get(code, code)) for code in condition[PROVIDES]]
        parts.append(f"that provide {_either(names)}")
    return "Only for organisations " + " and ".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _either(names: list[str]) -> str:
    """a · a or b · a, b, or c (the comma before "or" keeps labels that contain "and" apart)."""
    if len(names) <= 2:
        return " or ".join(names)
    return ", ".join(names[:-1]) + ", or " + names[-1]
