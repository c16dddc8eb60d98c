"""Size bands for area figures: the people an organisation has, paid staff
and volunteers together.

Small charities and community groups often run on volunteers, and getting
ready for personalisation means bringing everyone along, so volunteers
count as people here. The bands are the ones UK business statistics use for
employers (micro under 10, small under 50, medium under 250), so that they
read the same as figures people already know.

This is not organisations.choices.SizeBand, which counts paid staff only
(the organisation profile and the API show that one).
"""

from __future__ import annotations

from django.db import models


class SizeBand(models.TextChoices):
    MICRO = "micro", "Micro: fewer than 10 people"
    SMALL = "small", "Small: 10 to 49 people"
    MEDIUM = "medium", "Medium: 50 to 249 people"
    LARGE = "large", "Large: 250 people or more"


ORDER = [band.value for band in SizeBand]


def size_band(paid_staff: int, volunteers: int) -> str:
    people = (paid_staff or 0) + (volunteers or 0)
    if people < 10:
        return SizeBand.MICRO.value
    if people < 50:
        return SizeBand.SMALL.value
    if people < 250:
        return SizeBand.MEDIUM.value
    return SizeBand.LARGE.value


def label(code: str) -> str:
    return dict(SizeBand.choices).get(code, code)


def short_label(code: str) -> str:
    """'Micro', 'Small', …"""
    return label(code).split(":")[0]
