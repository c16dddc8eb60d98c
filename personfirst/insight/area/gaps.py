"""The gap between what people say and what organisations say, across an area.

For an instrument with paired I/We items (readiness/assessments/paired.py),
each organisation in a council area has, in its latest submitted assessment
of the instrument, a gap for each section with paired items rated both ways
(the organisation's score minus the people's; docs/scoring.md). The area's
figure for a section is the average of those organisations' section gaps,
with the number of organisations it is about.

A figure about fewer than five organisations is never shown: the count goes
through the one disclosure engine (core/access/disclosure.py,
``suppress_total``), and a hidden count hides its average too.

Scores follow the readiness rules exactly: readiness.results, on the answers
that count, in the assessment's own instrument version (English and Welsh
assessments are counted together: their items are the same).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from personfirst.core.access import disclosure
from personfirst.core.organisations.models import CouncilArea
from personfirst.readiness.assessments import results, scoring
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus, Instrument, Item


@dataclass(frozen=True)
class SectionGap:
    key: str
    title: str
    organisations: int | None  # None: hidden (fewer than disclosure.MINIMUM)
    gap: Decimal | None  # one decimal place; None when hidden

    @property
    def hidden(self) -> bool:
        return self.organisations is None

    @property
    def gap_shown(self) -> str:
        """+16.7, −5.0 or 0.0."""
        if self.gap is None:
            return ""
        return f"+{self.gap}" if self.gap > 0 else (f"−{-self.gap}" if self.gap < 0 else str(self.gap))


def has_paired_items(instrument: Instrument) -> bool:
    return Item.objects.filter(version__instrument=instrument, type="paired").exists()


def latest_submitted(instrument: Instrument, area: CouncilArea) -> list[Assessment]:
    """Each organisation's latest submitted assessment of the instrument, for the organisations in the area."""
    found: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(
            version__instrument=instrument,
            status=AssessmentStatus.SUBMITTED,
            organisation__council_area=area,
        )
        .select_related("version", "organisation")
        .order_by("organisation_id", "-submitted_at", "-pk")
    ):
        found.setdefault(assessment.organisation_id, assessment)
    return list(found.values())


def section_gaps(instrument: Instrument, area: CouncilArea) -> list[SectionGap]:
    """The area's average gap for each section of the instrument that has
    paired items, in the latest version's order."""
    gaps: dict[str, list[Fraction]] = defaultdict(list)
    titles: dict[str, str] = {}
    for assessment in latest_submitted(instrument, area):
        for section in results.results_for(assessment, compare=False).sections:
            gap = _exact_gap(section)
            if gap is not None:
                gaps[section.key].append(gap)
    version = instrument.latest_version()
    order = [s.key for s in version.sections.all()] if version else []
    if version:
        titles = {s.key: s.title for s in version.sections.all()}
    rows = []
    for key in sorted(gaps, key=lambda k: order.index(k) if k in order else len(order)):
        shown = disclosure.suppress_total(len(gaps[key]))
        mean = sum(gaps[key], Fraction(0)) / len(gaps[key])
        rows.append(
            SectionGap(
                key=key,
                title=titles.get(key, key),
                organisations=shown,
                gap=None if shown is None else scoring.one_decimal(mean),
            )
        )
    return rows


def _exact_gap(section: results.SectionResult) -> Fraction | None:
    """The section's gap exactly (the mean of its items' gaps), not the rounded one shown."""
    found = [item.gap for item in section.items if item.gap is not None]
    return sum(found, Fraction(0)) / len(found) if found else None


def area_gaps(area: CouncilArea) -> list[tuple[Instrument, list[SectionGap]]]:
    """For each instrument with paired items that organisations in the area have submitted: its section gaps."""
    found = []
    for instrument in Instrument.objects.order_by("title"):
        if has_paired_items(instrument):
            rows = section_gaps(instrument, area)
            if rows:
                found.append((instrument, rows))
    return found
