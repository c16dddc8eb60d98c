"""Fixed lists used by organisation profiles (and by instrument conditions)."""

from django.db import models


class OrganisationType(models.TextChoices):
    HOME_CARE = "home_care", "Home care"
    RESIDENTIAL = "residential", "Residential or nursing home"
    VOLUNTARY = "voluntary", "Voluntary and community organisation"
    HOUSING = "housing", "Housing or supported living"
    USER_LED = "user_led", "User-led organisation"
    MICRO_ENTERPRISE = "micro_enterprise", "Micro-provider or social enterprise"
    INFORMATION_ADVICE = "information_advice", "Information, advice, advocacy or brokerage"
    DIRECT_PAYMENT_SUPPORT = "direct_payment_support", "Direct payment support scheme"
    COUNCIL = "council", "Council"
    SUPPORT_DEVELOPMENT = "support_development", "Local support and development organisation"


# The council and the support and development organisations give roles that
# reach other organisations (commissioners, development workers: stored role
# grants, docs/decisions/0010), so only a platform administrator may give an
# organisation one of these types, or take it away.
TYPES_THAT_GIVE_ACCESS = frozenset({OrganisationType.COUNCIL, OrganisationType.SUPPORT_DEVELOPMENT})


class ServiceKind(models.TextChoices):
    PERSONAL_CARE = "personal_care", "Personal care at home"
    RESIDENTIAL_CARE = "residential_care", "Residential care"
    NURSING_CARE = "nursing_care", "Nursing care"
    DAY_OPPORTUNITIES = "day_opportunities", "Day opportunities and activities"
    SUPPORTED_LIVING = "supported_living", "Supported living and housing support"
    COMMUNITY_ACTIVITIES = "community_activities", "Community groups, clubs and social activities"
    BEFRIENDING = "befriending", "Befriending and companionship"
    CARERS_SUPPORT = "carers_support", "Support for carers"
    EMPLOYMENT = "employment", "Work, volunteering and training"
    TRANSPORT = "transport", "Transport"
    INFORMATION_ADVICE = "information_advice", "Information and advice"
    ADVOCACY = "advocacy", "Advocacy"
    BROKERAGE = "brokerage", "Support planning and brokerage"
    DIRECT_PAYMENT_SUPPORT = (
        "direct_payment_support",
        "Direct payment support (payroll, employing a personal assistant)",
    )
    PERSONAL_ASSISTANTS = "personal_assistants", "Personal assistants"
    SHORT_BREAKS = "short_breaks", "Short breaks and respite"
    MEALS = "meals", "Meals and food"
    EQUIPMENT = "equipment", "Equipment and adaptations"
    HEALTH_WELLBEING = "health_wellbeing", "Health and wellbeing"


class SizeBand(models.TextChoices):
    """Size by the people an organisation has: paid staff and volunteers
    together. Small charities and community groups often run on volunteers,
    and getting ready for personalisation means bringing everyone along, so
    volunteers count. The bands are the ones UK business statistics use for
    employers (micro under 10, small under 50, medium under 250), so they
    read like figures people already know. The profile, the API and the
    area figures (insight) all use these."""

    MICRO = "micro", "Micro: fewer than 10 people"
    SMALL = "small", "Small: 10 to 49 people"
    MEDIUM = "medium", "Medium: 50 to 249 people"
    LARGE = "large", "Large: 250 people or more"


SIZE_BAND_ORDER = [band.value for band in SizeBand]


def size_band(paid_staff: int | None, volunteers: int | None) -> SizeBand:
    people = (paid_staff or 0) + (volunteers or 0)
    if people < 10:
        return SizeBand.MICRO
    if people < 50:
        return SizeBand.SMALL
    if people < 250:
        return SizeBand.MEDIUM
    return SizeBand.LARGE


def size_band_label(code: str) -> str:
    """'Micro: fewer than 10 people', …; an unknown code as it is."""
    return dict(SizeBand.choices).get(code, code)


def size_band_short_label(code: str) -> str:
    """'Micro', 'Small', …"""
    return size_band_label(code).split(":")[0]
