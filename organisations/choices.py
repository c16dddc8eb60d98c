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


# Membership of these makes someone a commissioner or a development worker
# (access/rules.py), so only a platform administrator may give an organisation
# one of these types, or take it away.
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
    """Size by paid staff, used to group organisations in area figures."""

    NO_STAFF = "none", "No paid staff"
    SMALL = "small", "1 to 9 paid staff"
    MEDIUM = "medium", "10 to 49 paid staff"
    LARGE = "large", "50 or more paid staff"


def size_band(paid_staff: int) -> SizeBand:
    if paid_staff <= 0:
        return SizeBand.NO_STAFF
    if paid_staff < 10:
        return SizeBand.SMALL
    if paid_staff < 50:
        return SizeBand.MEDIUM
    return SizeBand.LARGE
