"""Keeping insight's rows (insight/models.py) in step with submitted assessments.

- On submit (readiness.signals.assessment_submitted, inside the submitting
  transaction): the assessment's Submission and Value rows, then
  ``refresh_chain`` for its organisation and instrument.
- ``refresh_chain``: orders the organisation's submissions of one
  instrument by time, sets each one's ``superseded_quarter`` (the quarter of
  the next one) on it and on its Value rows, and brings the national counts
  up to date for every cell that changed.
- ``rebuild``: everything again from the assessments (manage.py
  rebuild_insight), and ``record_missing`` for submitted assessments that
  have no row yet (an existing database, when insight is first installed).

Scores follow docs/scoring.md exactly: the rules are readiness.scoring's,
applied to the answers that count (readiness.services.answers_that_count:
suggested answers nobody has confirmed do not count). Positions on a scale
are the item types' (personfirst.core.definitions.items.ItemType.position).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from personfirst.core.definitions.items import ItemDefinition
from personfirst.core.organisations.models import AccessGrant, Organisation
from personfirst.readiness.assessments import results, scoring, services, structure
from personfirst.readiness.assessments.models import Assessment, AssessmentStatus, Instrument, InstrumentVersion

from . import quarters
from .models import Kind, NationalCell, NationalValue, Submission, Value

Cell = tuple[str, str, int]  # (org_type, size_band, quarter)


# --- Scores of one assessment -------------------------------------------------


@dataclass(frozen=True)
class ItemShape:
    key: str
    rule: ItemDefinition  # the item as its type's class works on it
    places: Mapping[int | str, int] = field(default_factory=dict, hash=False)  # point -> position, 1 the lowest

    @classmethod
    def of(cls, key: str, rule: ItemDefinition) -> ItemShape:
        """The shape of an item, with its type's scale read once (scoring many assessments is quick)."""
        return cls(key, rule, {value: place for place, value in enumerate(rule.kind.scale(rule), start=1)})

    @property
    def positions(self) -> int:
        """The number of points on its scale."""
        return len(self.places)


@dataclass(frozen=True)
class SectionShape:
    key: str
    title: str
    condition: dict | None
    items: tuple[ItemShape, ...]
    weight: Fraction = Fraction(1)  # its share of the overall score


@dataclass(frozen=True)
class VersionShape:
    """What scoring needs from an instrument version, read once."""

    version_id: int
    instrument_id: int
    sections: tuple[SectionShape, ...]


def shape_of(version: InstrumentVersion) -> VersionShape:
    sections = []
    for section in structure.sections_of(version):
        items = tuple(ItemShape.of(item.key, results.rule_for(item)) for item in section.items.all())
        sections.append(SectionShape(section.key, section.title, section.condition, items, Fraction(section.weight)))
    return VersionShape(version.pk, version.instrument_id, tuple(sections))


def position(item: ItemShape, response: scoring.Response | None) -> int | None:
    """The answer's place on the item's scale, 1 the lowest: its type's
    scale and the point the answer chose (what ItemType.position gives, as
    co-production and plans have it), looked up in the scale read once."""
    value = item.rule.kind.value(response)
    return None if value is None else item.places.get(value)


@dataclass
class Scores:
    overall: Fraction | None = None
    sections: dict[str, Fraction] = field(default_factory=dict)  # only sections with a score
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # item key -> (position, positions)


def score(
    shape: VersionShape,
    applies: Iterable[str],
    responses: Mapping[str, scoring.Response | None],
    memo: dict | None = None,
) -> Scores:
    """Section and overall scores and question positions, for the sections
    that apply. ``memo`` (any dict, kept between calls) remembers section
    scores by their answers, for scoring many assessments quickly."""
    applying = set(applies)
    scores = Scores()
    section_scores = []
    weights = []
    for section in shape.sections:
        if section.key not in applying:
            continue
        weights.append(section.weight)
        if memo is None:
            raw = scoring.section_score((item.rule for item in section.items), responses)
        else:
            given = (section.key, *(responses.get(item.key) for item in section.items))
            if given not in memo:
                memo[given] = scoring.section_score((item.rule for item in section.items), responses)
            raw = memo[given]
        section_scores.append(raw)
        if raw is not None:
            scores.sections[section.key] = raw
        for item in section.items:
            place = position(item, responses.get(item.key))
            if place is not None:
                scores.positions[item.key] = (place, item.positions)
    if memo is None or any(weight != 1 for weight in weights):
        scores.overall = scoring.overall_score(section_scores, weights)
    else:
        scores.overall = _mean(section_scores)
    return scores


def _mean(values: list[Fraction | None]) -> Fraction | None:
    """scoring.mean for fractions, with one division instead of one per
    value: the same exact result, several times faster (for generating
    hundreds of thousands of assessments)."""
    scored = [value for value in values if value is not None]
    if not scored:
        return None
    common = math.lcm(*(value.denominator for value in scored))
    return Fraction(sum(value.numerator * (common // value.denominator) for value in scored), common * len(scored))


def scores_of(assessment: Assessment, shape: VersionShape | None = None) -> Scores:
    applies, _left_out = services.split_sections(assessment)
    answers = services.answers_for(assessment)
    asked = {item.key for section in applies for item in section.items.all()}  # less items left out
    responses = {key: results.response_for(answer) for key, answer in answers.items() if key in asked}
    return score(shape or shape_of(assessment.version), [s.key for s in applies], responses)


# --- Rows ---------------------------------------------------------------------


def sharing_of(organisation_ids: Iterable[int]) -> dict[int, str]:
    """For each organisation, the support and development organisations it
    shares its assessments with now, as Submission.sharing keeps them."""
    shared: dict[int, list[int]] = defaultdict(list)
    for organisation_id, support_id in (
        AccessGrant.objects.active()
        .filter(organisation_id__in=list(organisation_ids), assessments=True)
        .values_list("organisation_id", "support_organisation_id")
    ):
        shared[organisation_id].append(support_id)
    return {organisation_id: ",".join(str(i) for i in sorted(ids)) for organisation_id, ids in shared.items()}


def submission_for(
    assessment: Assessment, organisation: Organisation, instrument_id: int, sharing: str | None = None
) -> Submission:
    """The assessment's row. ``sharing`` (as Submission.sharing keeps it) is
    looked up from the organisation's grants when not given."""
    if sharing is None:
        sharing = sharing_of([organisation.pk]).get(organisation.pk, "")
    return Submission(
        assessment_id=assessment.pk,
        instrument_id=instrument_id,
        organisation_id=organisation.pk,
        council_area_id=organisation.council_area_id,
        org_type=organisation.org_type,
        size_band=organisation.size_band.value,
        sharing=sharing,
        submitted_at=assessment.submitted_at,
        quarter=quarters.quarter_of(assessment.submitted_at),
        superseded_quarter=None,
        overall=None,
    )


def value_fields(scores: Scores) -> list[tuple[str, str, int, int]]:
    """(kind, key, value, scale) for each Value row of these scores."""
    rows = [(Kind.SECTION.value, key, raw.numerator, raw.denominator) for key, raw in scores.sections.items()]
    rows += [(Kind.ITEM.value, key, place, positions) for key, (place, positions) in scores.positions.items()]
    return rows


def value_rows(submission: Submission, scores: Scores) -> list[Value]:
    common = {
        "submission_id": submission.pk,
        "instrument_id": submission.instrument_id,
        "council_area_id": submission.council_area_id,
        "org_type": submission.org_type,
        "size_band": submission.size_band,
        "sharing": submission.sharing,
        "quarter": submission.quarter,
        "superseded_quarter": submission.superseded_quarter,
    }
    return [
        Value(kind=kind, key=key, value=value, scale=scale, **common)
        for kind, key, value, scale in value_fields(scores)
    ]


def chain_quarters(submissions: list[Submission]) -> list[int | None]:
    """For submissions in time order: each one's superseded quarter (None for the last)."""
    return [later.quarter for later in submissions[1:]] + [None] if submissions else []


def _cell(submission: Submission) -> Cell:
    return (submission.org_type, submission.size_band, submission.quarter)


# --- On submit ----------------------------------------------------------------


def on_assessment_submitted(sender, assessment: Assessment, by=None, **kwargs) -> None:
    record(assessment)


def record(assessment: Assessment) -> Submission:
    """The assessment's Submission and Value rows (made again if they exist:
    the demo moves its assessments' times into the past after submitting
    them), then its chain."""
    assessment = Assessment.objects.select_related("organisation", "version").get(pk=assessment.pk)
    instrument_id = assessment.version.instrument_id
    old = Submission.objects.filter(pk=assessment.pk).first()
    scores = scores_of(assessment)
    submission = submission_for(assessment, assessment.organisation, instrument_id)
    submission.overall = float(scores.overall) if scores.overall is not None else None
    changed = {_cell(submission)}
    if old is not None:
        changed.add(_cell(old))
        Value.objects.filter(submission=old).delete()
    submission.save()
    Value.objects.bulk_create(value_rows(submission, scores))
    refresh_chain(assessment.organisation_id, instrument_id, changed=changed)
    return submission


def refresh_chain(
    organisation_id: int, instrument_id: int, *, changed: Iterable[Cell] = (), national: bool = True
) -> set[Cell]:
    """Superseded quarters for one organisation's submissions of one
    instrument, on them and on their Value rows; then the national counts of
    the cells that changed (``changed`` adds cells the caller knows about).
    With ``national=False`` the counts are left to the caller, and the
    changed cells returned."""
    affected = set(changed)
    chain = list(
        Submission.objects.filter(organisation_id=organisation_id, instrument_id=instrument_id).order_by(
            "submitted_at", "pk"
        )
    )
    for submission, superseded in zip(chain, chain_quarters(chain), strict=True):
        if submission.superseded_quarter != superseded:
            submission.superseded_quarter = superseded
            submission.save(update_fields=["superseded_quarter"])
            Value.objects.filter(submission=submission).update(superseded_quarter=superseded)
            affected.add(_cell(submission))
    if national and affected:
        refresh_national(instrument_id, affected)
    return affected


def on_submission_deleted(sender, instance: Submission, **kwargs) -> None:
    """An assessment (or its organisation, or its instrument) was deleted:
    once the deletion is committed, put the chain and the counts right."""
    organisation_id, instrument_id, cell = instance.organisation_id, instance.instrument_id, _cell(instance)

    def after() -> None:
        if not Instrument.objects.filter(pk=instrument_id).exists():
            return
        with transaction.atomic():
            if Organisation.objects.filter(pk=organisation_id).exists():
                refresh_chain(organisation_id, instrument_id, changed={cell})
            else:
                refresh_national(instrument_id, {cell})

    transaction.on_commit(after)


# --- National counts ------------------------------------------------------------


def _cells_q(cells: Iterable[Cell]) -> Q:
    by_group: dict[tuple[str, str], set[int]] = defaultdict(set)
    for org_type, size_band, quarter in cells:
        by_group[(org_type, size_band)].add(quarter)
    condition = Q()
    for (org_type, size_band), quarter_set in by_group.items():
        condition |= Q(org_type=org_type, size_band=size_band, quarter__in=sorted(quarter_set))
    return condition


NATIONAL_CELL = ("org_type", "size_band", "quarter", "superseded_quarter")
NATIONAL_VALUE = (*NATIONAL_CELL, "kind", "key", "value", "scale")


def national_cells(instrument_id: int, condition: Q = Q()) -> QuerySet:  # noqa: B008
    """The NationalCell rows of these submissions, counted (a GROUP BY)."""
    return (
        Submission.objects.filter(condition, instrument_id=instrument_id)
        .exclude(superseded_quarter=F("quarter"))  # replaced within its own quarter: never counted
        .values("instrument_id", *NATIONAL_CELL)
        .annotate(organisations=Count("pk"), scored=Count("overall"), overall_total=Coalesce(Sum("overall"), 0.0))
        .order_by()
    )


def national_values(instrument_id: int, condition: Q = Q()) -> QuerySet:  # noqa: B008
    """The NationalValue rows of these values, counted (a GROUP BY)."""
    return (
        Value.objects.filter(condition, instrument_id=instrument_id)
        .exclude(superseded_quarter=F("quarter"))
        .values("instrument_id", *NATIONAL_VALUE)
        .annotate(organisations=Count("pk"))
        .order_by()
    )


def _insert_counted(model, counted: QuerySet) -> None:
    """INSERT … SELECT: the counts go from one table to the other without
    coming through Python (a national rebuild counts millions of rows)."""
    select, params = counted.query.sql_with_params()
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column)
        for name in ("instrument", *(f for f in counted.query.values_select if f != "instrument_id"))
    )
    names = [*counted.query.annotation_select]
    columns += ", " + ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) {select}", params)  # noqa: S608


@transaction.atomic
def refresh_national(instrument_id: int, cells: Iterable[Cell]) -> None:
    """Count these cells again, from the rows they are made from.

    The instrument's row is locked first, so that two submissions at once
    (on PostgreSQL) count their cells one after the other. SQLite lets one
    writer in at a time anyway.
    """
    cells = set(cells)
    if not cells:
        return
    list(Instrument.objects.select_for_update().filter(pk=instrument_id).values_list("pk", flat=True))
    condition = _cells_q(cells)
    NationalCell.objects.filter(condition, instrument_id=instrument_id).delete()
    NationalValue.objects.filter(condition, instrument_id=instrument_id).delete()
    _insert_counted(NationalCell, national_cells(instrument_id, condition))
    _insert_counted(NationalValue, national_values(instrument_id, condition))


@transaction.atomic
def rebuild_national(instrument_id: int | None = None) -> None:
    ids = [instrument_id] if instrument_id else list(Instrument.objects.values_list("pk", flat=True))
    for pk in ids:
        list(Instrument.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))
        NationalCell.objects.filter(instrument_id=pk).delete()
        NationalValue.objects.filter(instrument_id=pk).delete()
        _insert_counted(NationalCell, national_cells(pk))
        _insert_counted(NationalValue, national_values(pk))


# --- Whole rebuilds ---------------------------------------------------------------


def _record_many(assessments: list[Assessment]) -> None:
    """Submission and Value rows for many assessments, in bulk (their
    superseded quarters are left for _settle_chains)."""
    shapes: dict[int, VersionShape] = {}
    submissions, values = [], []
    sharing = sharing_of({a.organisation_id for a in assessments})
    for assessment in assessments:
        version = assessment.version
        if version.pk not in shapes:
            shapes[version.pk] = shape_of(version)
        submission = submission_for(
            assessment, assessment.organisation, version.instrument_id, sharing.get(assessment.organisation_id, "")
        )
        scores = scores_of(assessment, shapes[version.pk])
        submission.overall = float(scores.overall) if scores.overall is not None else None
        submissions.append(submission)
        values += value_rows(submission, scores)
    Submission.objects.bulk_create(submissions, batch_size=2000)
    Value.objects.bulk_create(values, batch_size=2000)


def _settle_chains(pairs: Iterable[tuple[int, int]]) -> None:
    """refresh_chain for many (organisation, instrument) pairs, with the
    national counts of each instrument made again once at the end."""
    instruments = set()
    for organisation_id, instrument_id in pairs:
        refresh_chain(organisation_id, instrument_id, national=False)
        instruments.add(instrument_id)
    for instrument_id in instruments:
        rebuild_national(instrument_id)


@transaction.atomic
def record_missing() -> int:
    """Rows for submitted assessments that have none (a database that had
    submitted assessments before insight was installed). Returns how many."""
    missing = list(
        Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, insight__isnull=True).select_related(
            "organisation", "version"
        )
    )
    if not missing:
        return 0
    _record_many(missing)
    _settle_chains({(a.organisation_id, a.version.instrument_id) for a in missing})
    return len(missing)


@transaction.atomic
def rebuild() -> int:
    """Every row again, from the submitted assessments. Returns how many."""
    Value.objects.all().delete()
    Submission.objects.all().delete()
    NationalCell.objects.all().delete()
    NationalValue.objects.all().delete()
    return record_missing()
