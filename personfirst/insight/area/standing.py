"""Where one organisation stands: for each section of its latest submitted
assessment, its percentile rank among the other organisations in its
council area, and among the other organisations of its type in England
(insight.figures.percentile_rank). No HTTP in here.

A comparison is hidden unless it is with at least 5 other organisations,
and unless the person looking can see either all or at least 5 of them
(``visible_organisations``): a development worker who can see all but two
organisations in an area must not be able to work out, from the ranks of the
ones they can see, how the other two scored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, QuerySet, Sum

from personfirst.core.access import rules as access
from personfirst.core.access.disclosure import MINIMUM
from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import Organisation
from personfirst.readiness.assessments.models import Instrument
from personfirst.readiness.assessments.scoring import one_decimal

from . import disclosure, figures
from .models import Kind, NationalValue, Submission, Value


@dataclass
class Comparison:
    others: int | None  # other organisations with a score for the section; None: hidden
    percentile: int | None  # None: hidden


@dataclass
class SectionStanding:
    number: int
    key: str
    title: str
    score: Decimal | None
    in_area: Comparison
    of_type: Comparison
    exact_area: Fraction | None = None
    exact_type: Fraction | None = None


@dataclass
class Standing:
    organisation: Organisation
    instrument: Instrument | None
    instruments: list[Instrument]
    submission: Submission | None
    area_name: str = ""
    type_label: str = ""
    sections: list[SectionStanding] = field(default_factory=list)


def _histograms(rows) -> dict[str, figures.Histogram]:
    counts: dict[str, dict[Fraction, int]] = defaultdict(dict)
    for key, value, scale, n in rows:
        counts[key][Fraction(value, scale)] = counts[key].get(Fraction(value, scale), 0) + n
    return {key: figures.histogram(c) for key, c in counts.items()}


def _sections(queryset: QuerySet, count) -> QuerySet:
    return queryset.filter(kind=Kind.SECTION).values_list("key", "value", "scale").annotate(count).order_by()


def _sizes(queryset: QuerySet) -> dict[str, int]:
    """Section key -> how many of these have a score for it."""
    return dict(queryset.filter(kind=Kind.SECTION).values_list("key").annotate(Count("pk")).order_by())


def _compare(group: figures.Histogram, own: Fraction, visible: int | None) -> tuple[Comparison, Fraction | None]:
    others = figures.size(group)
    unknown = 0 if visible is None else others - visible
    if others < MINIMUM or disclosure.disclosive(unknown):
        return Comparison(None, None), None
    rank = figures.percentile_rank(group, own)
    return Comparison(others, figures.whole(rank)), rank


def standing_for(organisation: Organisation, *, viewer, instrument_key: str | None = None) -> Standing:
    latest = {
        s.instrument_id: s
        for s in Submission.objects.filter(organisation=organisation, superseded_quarter__isnull=True).select_related(
            "instrument", "council_area"
        )
    }
    instruments = sorted((s.instrument for s in latest.values()), key=lambda i: i.title)
    chosen = next((i for i in instruments if i.key == instrument_key), None)
    chosen = chosen or next(
        (i for i in instruments if i.key == "health-check"), instruments[0] if instruments else None
    )
    result = Standing(organisation, chosen, instruments, latest.get(chosen.pk) if chosen else None)
    submission = result.submission
    if submission is None:
        return result
    result.area_name = submission.council_area.name
    result.type_label = dict(OrganisationType.choices).get(submission.org_type, submission.org_type)
    own = {key: Fraction(value, scale) for key, value, scale, _n in _sections(submission.values.all(), Count("pk"))}
    # Other organisations' latest assessments (the organisation's own latest is this submission).
    others = Value.objects.filter(instrument_id=submission.instrument_id, superseded_quarter__isnull=True).exclude(
        submission=submission
    )
    in_area = others.filter(council_area_id=submission.council_area_id)
    area = _histograms(_sections(in_area, Count("pk")))
    national = NationalValue.objects.filter(
        instrument_id=submission.instrument_id, org_type=submission.org_type, superseded_quarter__isnull=True
    )
    of_type = {
        key: figures.subtract(hist, [(own[key], 1)]) if key in own else hist
        for key, hist in _histograms(_sections(national, Sum("organisations"))).items()
    }
    seen_area: dict[str, int] | None = None
    seen_type: dict[str, int] | None = None
    if not access.is_platform_admin(viewer):
        visible = access.visible_organisations(viewer)
        seen_area = _sizes(in_area.filter(submission__organisation__in=visible))
        seen_type = _sizes(others.filter(org_type=submission.org_type, submission__organisation__in=visible))
    version = submission.assessment.version if submission else None
    for number, section in enumerate(version.sections.all(), start=1):
        score = own.get(section.key)
        row = SectionStanding(
            number, section.key, section.title, one_decimal(score), Comparison(None, None), Comparison(None, None)
        )
        if score is not None:
            row.in_area, row.exact_area = _compare(
                area.get(section.key, []), score, None if seen_area is None else seen_area.get(section.key, 0)
            )
            row.of_type, row.exact_type = _compare(
                of_type.get(section.key, []), score, None if seen_type is None else seen_type.get(section.key, 0)
            )
        result.sections.append(row)
    return result
