"""Section conditions: who a section applies to, and how we say so."""

from __future__ import annotations

import pytest

from personfirst.readiness.assessments.conditions import applies, describe


@pytest.mark.parametrize(
    ("condition", "org_type", "services", "expected"),
    [
        (None, "voluntary", [], True),
        ({}, "voluntary", [], True),
        # provides: any of the listed services
        ({"provides": ["advocacy", "brokerage"]}, "voluntary", ["brokerage"], True),
        ({"provides": ["advocacy", "brokerage"]}, "voluntary", ["advocacy", "meals"], True),
        ({"provides": ["advocacy", "brokerage"]}, "voluntary", ["meals"], False),
        ({"provides": ["advocacy"]}, "voluntary", [], False),
        # organisation_type: any of the listed types
        ({"organisation_type": ["council", "housing"]}, "housing", [], True),
        ({"organisation_type": ["council", "housing"]}, "voluntary", ["advocacy"], False),
        # both: both must hold
        ({"provides": ["advocacy"], "organisation_type": ["user_led"]}, "user_led", ["advocacy"], True),
        ({"provides": ["advocacy"], "organisation_type": ["user_led"]}, "voluntary", ["advocacy"], False),
        ({"provides": ["advocacy"], "organisation_type": ["user_led"]}, "user_led", ["meals"], False),
    ],
)
def test_applies(condition, org_type, services, expected):
    assert applies(condition, org_type, services) is expected


def test_applies_refuses_a_condition_it_does_not_know():
    with pytest.raises(ValueError, match="unknown condition 'region'"):
        applies({"region": ["north"]}, "voluntary", [])


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (None, "For every organisation"),
        ({"provides": ["advocacy"]}, "Only for organisations that provide advocacy"),
        (
            {"provides": ["direct_payment_support", "personal_assistants"]},
            "Only for organisations that provide direct payment support (payroll, employing a personal assistant)"
            " or personal assistants",
        ),
        (
            {"provides": ["information_advice", "advocacy", "brokerage"]},
            "Only for organisations that provide information and advice, advocacy, or support planning and brokerage",
        ),
        (
            {"organisation_type": ["home_care", "residential"]},
            "Only for organisations whose type is “Home care” or “Residential or nursing home”",
        ),
        (
            {"provides": ["brokerage"], "organisation_type": ["council"]},
            "Only for organisations whose type is “Council” and that provide support planning and brokerage",
        ),
        # A code the lists no longer have still reads as something.
        ({"provides": ["retired_code"]}, "Only for organisations that provide retired_code"),
    ],
)
def test_describe(condition, expected):
    assert describe(condition) == expected
