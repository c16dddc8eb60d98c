"""Where one organisation stands: for each section of its latest submitted
assessment, its percentile rank among the other organisations in its
council area, and among the other organisations of its type in England
(insight.figures.percentile_rank). No HTTP in here.

The others are a published figure (insight/publish.py): the area's, and
England's for the type, from the newest snapshot, without the
organisation's own assessment if the snapshot counts it. Its own score is
its latest, as its results page shows it. So where it stands changes when
it submits again, and when a snapshot is published, never when another
organisation submits.

A comparison is hidden unless it is with at least 5 other organisations,
and unless the person looking can see either all or at least 5 of them: a
development worker who can see all but two organisations in an area must
not be able to work out, from the ranks of the ones they can see, how the
other two scored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from personfirst.core.access import roles as access
from personfirst.core.access.disclosure import MINIMUM, counted, is_disclosive, latest_slice
from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import Organisation
from personfirst.readiness.assessments.models import Instrument
from personfirst.readiness.assessments.scoring import one_decimal

from . import figures, publish, report, sources
from .models import Kind, Snapshot, Submission, Value


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
    as_at: str = ""
    sections: list[SectionStanding] = field(default_factory=list)


HIDDEN = Comparison(None, None)


@dataclass(frozen=True)
class _Unit:
    """A submission as the snapshot may count it, with its section scores."""

    organisation_id: int
    area_id: int
    cell: tuple[str, str, str]
    quarter: int
    superseded: int | None
    submitted_at: datetime
    scores: dict[str, Fraction]


def _units(submissions: Iterable[Submission]) -> list[_Unit]:
    submissions = list(submissions)
    scores: dict[int, dict[str, Fraction]] = defaultdict(dict)
    for submission_id, key, value, scale in Value.objects.filter(
        submission__in=[s.pk for s in submissions], kind=Kind.SECTION
    ).values_list("submission_id", "key", "value", "scale"):
        scores[submission_id][key] = Fraction(value, scale)
    return [
        _Unit(
            s.organisation_id,
            s.council_area_id,
            (s.org_type, s.size_band, s.sharing),
            s.quarter,
            s.superseded_quarter,
            s.submitted_at,
            scores[s.pk],
        )
        for s in submissions
    ]


def _in_figure(snapshot: Snapshot, measure: str, unit: _Unit, include) -> bool:
    """Is this submission counted in a published latest figure of the measure? It is when it was
    submitted before the snapshot was made, the piece of its area that holds its cell has it in its
    latest figures (as at that piece's quarter), and ``include(unit, shape)`` says the piece is part
    of the figure."""
    view = sources.area_view(snapshot, unit.area_id)
    shape = next((s for s in view.shapes.get(measure, []) if unit.cell in s.cells), None)
    return (
        shape is not None
        and unit.submitted_at <= snapshot.made_at
        and shape.latest
        and measure in unit.scores
        and include(unit, shape)
        and counted(unit.quarter, unit.superseded, latest_slice(shape.asat))
    )


def _histogram(snapshot: Snapshot, scope: sources.Scope, measure: str, pieces: list[int]) -> figures.Histogram:
    rows = sources.values(snapshot, scope, None, {measure: pieces})
    return figures.histogram(
        (Fraction(value, scale), n) for kind, key, value, scale, n in rows if kind == Kind.SECTION and key == measure
    )


def _compare(
    group: figures.Histogram, own: Fraction, mine: Fraction | None, visible: int | None
) -> tuple[Comparison, Fraction | None]:
    """The rank of ``own`` among the group without the organisation's own counted score ``mine``."""
    if mine is not None:
        try:
            group = figures.subtract(group, [(mine, 1)])
        except ValueError:  # not what was published: better hidden than wrong
            return HIDDEN, None
    others = figures.size(group)
    unknown = 0 if visible is None else others - visible
    if others < MINIMUM or is_disclosive(unknown):
        return HIDDEN, None
    rank = figures.percentile_rank(group, own)
    return Comparison(others, figures.whole(rank)), rank


def standing_for(organisation: Organisation, *, viewer, instrument_key: str | None = None) -> Standing:
    latest = {
        s.instrument_id: s
        for s in Submission.objects.filter(organisation=organisation, superseded_quarter__isnull=True).select_related(
            "instrument", "council_area", "assessment__version"
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
    own = {key: Fraction(value, scale) for key, value, scale in submission.values.filter(kind=Kind.SECTION).values_list(
        "key", "value", "scale"
    )}  # fmt: skip
    snapshot = publish.current(submission.instrument_id)
    version = submission.assessment.version
    sections = list(version.sections.all())
    if snapshot is None:
        result.sections = [
            SectionStanding(n, s.key, s.title, one_decimal(own.get(s.key)), HIDDEN, HIDDEN)
            for n, s in enumerate(sections, start=1)
        ]
        return result
    result.as_at = f"the end of {report.quarters.ends_label(snapshot.quarter)}"
    area_scope = sources.for_area(submission.council_area)
    england = sources.england()
    area_view = sources.view_for(snapshot, area_scope)
    england_view = sources.view_for(snapshot, england)
    everything = report.chooser(None, None)
    of_type = report.chooser((submission.org_type,), None)
    mine = _units(Submission.objects.filter(organisation=organisation, instrument_id=submission.instrument_id))
    visible_units = None
    if not access.is_platform_admin(viewer):
        visible = access.visible_organisations(viewer).exclude(pk=organisation.pk)
        visible_units = _units(
            Submission.objects.filter(instrument_id=submission.instrument_id, organisation__in=visible)
        )
    area_id, org_type = submission.council_area_id, submission.org_type
    comparisons = (
        ("in_area", area_scope, area_view, everything, lambda unit, shape: unit.area_id == area_id),
        ("of_type", england, england_view, of_type, lambda unit, shape: all(c[0] == org_type for c in shape.cells)),
    )
    for number, section in enumerate(sections, start=1):
        score = own.get(section.key)
        row = SectionStanding(number, section.key, section.title, one_decimal(score), HIDDEN, HIDDEN)
        result.sections.append(row)
        if score is None:
            continue
        for name, scope, view, chooser, include in comparisons:
            pieces = view.pieces(section.key, chooser, None)
            if not pieces:
                continue
            counted_own = next(
                (u.scores[section.key] for u in mine if _in_figure(snapshot, section.key, u, include)), None
            )
            seen = None
            if visible_units is not None:
                seen = len({u.organisation_id for u in visible_units if _in_figure(snapshot, section.key, u, include)})
            comparison, rank = _compare(_histogram(snapshot, scope, section.key, pieces), score, counted_own, seen)
            setattr(row, name, comparison)
            setattr(row, f"exact_{name.removeprefix('in_').removeprefix('of_')}", rank)
    return result
