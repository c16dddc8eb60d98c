"""The national eligibility criteria (England, Care Act 2014 and its
eligibility regulations), for an adult who needs care and support and,
separately, for a carer. Plain Python: no database, no HTTP. The outcomes
are named in the project's own words.

An adult is eligible when all three hold:

1. their needs arise from a physical or mental impairment or illness;
2. because of those needs they are unable to achieve **two or more** of the
   outcomes in ``ADULT_OUTCOMES``;
3. as a consequence there is, or is likely to be, a significant impact on
   their wellbeing.

A carer is eligible when all three hold:

1. their needs arise from providing necessary care for an adult;
2. because of that, their physical or mental health is at risk of getting
   worse, or they are unable to achieve **one or more** of the outcomes in
   ``CARER_OUTCOMES``;
3. as a consequence there is, or is likely to be, a significant impact on
   their wellbeing.

The practitioner records each outcome; ``decide`` applies the rule and
words the decision and its reasons for the person.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

ADULT = "adult"
CARER = "carer"

# (key, how the outcome is named to the person)
ADULT_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("nutrition", "getting enough to eat and drink"),
    ("hygiene", "keeping yourself clean"),
    ("toilet", "using the toilet"),
    ("clothing", "getting dressed in clothes that suit you and the weather"),
    ("home-safety", "moving around your home safely"),
    ("habitable-home", "keeping your home fit to live in"),
    ("relationships", "keeping up your family and other relationships"),
    ("work-learning", "working, training, learning or volunteering"),
    ("local-services", "using places and services nearby, such as shops and buses"),
    ("child", "looking after a child you care for"),
)
CARER_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("child", "looking after a child you care for"),
    ("other-care", "caring for anyone else you look after"),
    ("habitable-home", "keeping your home fit to live in"),
    ("nutrition", "getting enough to eat and drink"),
    ("relationships", "keeping up your family and other relationships"),
    ("work-learning", "working, training, learning or volunteering"),
    ("local-services", "using places and services nearby"),
    ("leisure", "having time for yourself, to rest or enjoy things"),
)
OUTCOMES = {ADULT: ADULT_OUTCOMES, CARER: CARER_OUTCOMES}
# How many outcomes must be out of reach.
AT_LEAST = {ADULT: 2, CARER: 1}


class ScreenError(ValueError):
    pass


@dataclass(frozen=True)
class Screen:
    """What the practitioner recorded."""

    kind: str
    # Adult: needs arise from an impairment or illness. Carer: from caring.
    condition: bool
    unable: frozenset[str]
    wellbeing: bool
    health_at_risk: bool = False  # carers only

    def __post_init__(self) -> None:
        if self.kind not in OUTCOMES:
            raise ScreenError(f"Unknown kind of screen: {self.kind}")
        known = {key for key, _ in OUTCOMES[self.kind]}
        unknown = set(self.unable) - known
        if unknown:
            raise ScreenError(f"Unknown outcome: {', '.join(sorted(unknown))}")
        if self.health_at_risk and self.kind != CARER:
            raise ScreenError("Only a carer's screen asks about risk to health.")


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: tuple[str, ...]

    @property
    def summary(self) -> str:
        return "Meets the national criteria" if self.eligible else "Does not meet the national criteria"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def outcome_names(kind: str, keys: Collection[str]) -> list[str]:
    return [label for key, label in OUTCOMES[kind] if key in keys]


def decide(screen: Screen) -> Decision:
    kind, reasons = screen.kind, []
    if kind == ADULT:
        if screen.condition:
            reasons.append("Your needs come from a physical or mental condition or illness.")
        else:
            reasons.append("Your needs do not come from a physical or mental condition or illness.")
    elif screen.condition:
        reasons.append("Your needs come from caring for an adult who needs it.")
    else:
        reasons.append("Your needs do not come from caring for an adult.")
    names = outcome_names(kind, screen.unable)
    needed = AT_LEAST[kind]
    if names:
        count = "one thing" if len(names) == 1 else f"{len(names)} things"
        reasons.append(f"You cannot manage {count} on the list without help: {_listed(names)}.")
    else:
        reasons.append("You can manage everything on the list.")
    outcomes_met = len(names) >= needed
    if kind == CARER:
        if screen.health_at_risk:
            reasons.append("Caring puts your physical or mental health at risk of getting worse.")
        outcomes_met = outcomes_met or screen.health_at_risk
    if not outcomes_met and kind == ADULT:
        reasons.append("The rules need two or more things on the list that you cannot manage.")
    if screen.wellbeing:
        reasons.append("This has, or is likely to have, a big effect on your wellbeing.")
    else:
        reasons.append("This is not likely to have a big effect on your wellbeing.")
    eligible = screen.condition and outcomes_met and screen.wellbeing
    return Decision(eligible, tuple(reasons))
