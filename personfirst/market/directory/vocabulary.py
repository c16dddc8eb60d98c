"""The directory's own words: themes, who a service is for, price units.

Plain constants (no models), so that migrations and forms can use them.
Our own taxonomies are published in the Open Referral UK feed like anyone
else's, with ids that never change (uuid5 of a fixed name), so that a
council that imports our feed maps them once.
"""

from __future__ import annotations

import uuid

from django.db import models

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://personfirst.example/directory")


def fixed_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


class Theme(models.TextChoices):
    """The seven themes people browse the directory by."""

    LIVING_AT_HOME = "living-at-home", "Living at home"
    HEALTH_MATTERS = "health-matters", "Health matters"
    STAYING_SAFE = "staying-safe", "Staying safe"
    GETTING_AROUND = "getting-around", "Getting around"
    THINGS_TO_DO = "things-to-do", "Things to do"
    WORKING_AND_VOLUNTEERING = "working-and-volunteering", "Working and volunteering"
    MONEY_MATTERS = "money-matters", "Money matters"


THEME_DESCRIPTIONS = {
    Theme.LIVING_AT_HOME: "Help at home, personal care, meals, equipment and adaptations.",
    Theme.HEALTH_MATTERS: "Keeping well, therapies, health conditions and mental health.",
    Theme.STAYING_SAFE: "Safety at home and out, safeguarding, alarms and checks.",
    Theme.GETTING_AROUND: "Transport, mobility and getting to places.",
    Theme.THINGS_TO_DO: "Clubs, groups, day services, hobbies and seeing people.",
    Theme.WORKING_AND_VOLUNTEERING: "Work, training, volunteering and learning.",
    Theme.MONEY_MATTERS: "Benefits, budgets, direct payments and managing money.",
}

# One bit per theme, for a quick filter on the service row.
THEME_BITS = {theme.value: 1 << index for index, theme in enumerate(Theme)}


def theme_bits(codes) -> int:
    bits = 0
    for code in codes:
        bits |= THEME_BITS.get(code, 0)
    return bits


class Need(models.TextChoices):
    """Who a service is for: needs and circumstances."""

    OLDER_PEOPLE = "older-people", "Older people"
    CARERS = "carers", "Carers"
    LEARNING_DISABILITY = "learning-disability", "People with a learning disability"
    AUTISM = "autism", "Autistic people"
    PHYSICAL_DISABILITY = "physical-disability", "People with a physical disability"
    SENSORY_LOSS = "sensory-loss", "People with sight or hearing loss"
    DEMENTIA = "dementia", "People living with dementia"
    MENTAL_HEALTH = "mental-health", "People with mental health needs"
    LONG_TERM_CONDITION = "long-term-condition", "People with a long-term health condition"


class Unit(models.TextChoices):
    HOUR = "hour", "per hour"
    SESSION = "session", "per session"
    DAY = "day", "per day"
    WEEK = "week", "per week"
    MONTH = "month", "per month"
    ITEM = "item", "per item"


PERSONAL_BUDGET_PHRASE = "a personal budget or direct payment can pay"


class OwnTaxonomy:
    """Our taxonomies, as published in the feed."""

    def __init__(self, key: str, name: str, description: str, choices: type[models.TextChoices]) -> None:
        self.key = key
        self.id = fixed_id("taxonomy", key)
        self.name = name
        self.description = description
        self.choices = choices

    def term_id(self, code: str) -> uuid.UUID:
        return fixed_id("taxonomy", self.key, code)

    def terms(self):
        for choice in self.choices:
            yield self.term_id(choice.value), choice.value, choice.label


THEMES = OwnTaxonomy("themes", "PersonFirst directory themes", "The themes people browse the directory by.", Theme)
NEEDS = OwnTaxonomy("needs", "PersonFirst who it is for", "The needs and circumstances a service is for.", Need)
OWN_TAXONOMIES = (THEMES, NEEDS)

# Link types of attributes (what a taxonomy term says about a service).
LINK_THEME = "theme"
LINK_ELIGIBILITY = "eligibility"
