"""Synthetic organisations and assessments, for demonstrations and for
measuring area insight at national scale (manage.py generate_demo_area;
bench/insight_views.py). Demo tooling: nothing in the pillars imports it.

Everything made here is clearly synthetic: organisations are called
"Synthetic organisation 000123" (slug ``synthetic-000123``) and say so in
their description, and new council areas are "Synthetic area E98000001".
No users are made, so nobody can sign in as a synthetic organisation.

The figures are made to look like real ones: readiness differs by type of
organisation (user-led organisations and information and advice services
are further along than residential homes), each organisation has its own
level, and every assessment is a little further along than the one before,
about a year earlier. Some questions are harder than others, and a few are
marked not relevant. Sections that only apply to some organisations (by
what they provide) are left out for the others, as they would be.

Rows are written with bulk_create, a few thousand organisations at a time,
with insight's own rows worked out directly by the same scoring as on
submit (insight.facts.score); the national counts are made again once at
the end. No signals run, so nothing is written to the audit log and no
action plans are drafted.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from personfirst.core.organisations.choices import OrganisationType as T
from personfirst.core.organisations.choices import ServiceKind as S
from personfirst.core.organisations.models import AccessGrant, CouncilArea, Organisation
from personfirst.insight.area import facts
from personfirst.insight.area.models import Submission, Value
from personfirst.insight.area.rows import Rows
from personfirst.readiness.assessments import conditions, scoring
from personfirst.readiness.assessments.models import Answer, Assessment, AssessmentStatus, Instrument

PREFIX = "synthetic-"
DESCRIPTION = "Synthetic: made up by generate_demo_area for demonstrations and testing. Not a real organisation."

# Type: (weight, typical readiness from 0 to 1, median number of people, services it may provide)
TYPES: dict[str, tuple[float, float, int, tuple[str, ...]]] = {
    T.VOLUNTARY: (0.34, 0.42, 30, (S.COMMUNITY_ACTIVITIES, S.BEFRIENDING, S.CARERS_SUPPORT, S.TRANSPORT, S.MEALS)),
    T.HOME_CARE: (0.16, 0.45, 60, (S.PERSONAL_CARE,)),
    T.RESIDENTIAL: (0.10, 0.32, 70, (S.RESIDENTIAL_CARE, S.NURSING_CARE)),
    T.HOUSING: (0.07, 0.48, 45, (S.SUPPORTED_LIVING,)),
    T.USER_LED: (0.08, 0.58, 15, (S.ADVOCACY, S.COMMUNITY_ACTIVITIES, S.EMPLOYMENT)),
    T.MICRO_ENTERPRISE: (0.10, 0.40, 5, (S.PERSONAL_CARE, S.DAY_OPPORTUNITIES, S.MEALS)),
    T.INFORMATION_ADVICE: (0.10, 0.55, 25, (S.INFORMATION_ADVICE, S.ADVOCACY, S.BROKERAGE)),
    T.DIRECT_PAYMENT_SUPPORT: (0.05, 0.52, 12, (S.DIRECT_PAYMENT_SUPPORT, S.PERSONAL_ASSISTANTS)),
}
# Every assessment is this much further along than the one a year before.
IMPROVEMENT = 0.07
NOT_RELEVANT = 0.04


@dataclass
class Summary:
    organisations: int = 0
    assessments: int = 0
    answers: int = 0
    areas: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Item:
    pk: int
    key: str
    answers: tuple[scoring.Response, ...]  # the answer at each position of its scale, lowest first (its type's)
    difficulty: float

    @property
    def positions(self) -> int:
        return len(self.answers)


@contextmanager
def _big_sqlite_cache(mebibytes: int = 1024):
    """On SQLite, a large page cache while writing: millions of index entries
    otherwise go back and forth through a 2 MiB cache. No effect elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def _own_started_at():
    """Let bulk_create keep the started_at we give (auto_now_add would make it now)."""
    field = Assessment._meta.get_field("started_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def area_codes(first: str, count: int) -> list[str]:
    """first, then the next codes: E98000001, E98000002, …"""
    digits = len(first) - len(first.rstrip("0123456789"))
    if count > 1 and not digits:
        raise ValueError(f"{first!r} does not end in a number, so it cannot be counted on from")
    stem, number = first[: len(first) - digits], int(first[len(first) - digits :] or 0)
    return [f"{stem}{number + n:0{digits}d}" for n in range(count)]


def _areas(codes: list[str]) -> list[CouncilArea]:
    existing = {a.code: a for a in CouncilArea.objects.filter(code__in=codes)}
    missing = [CouncilArea(code=code, name=f"Synthetic area {code}") for code in codes if code not in existing]
    CouncilArea.objects.bulk_create(missing)
    existing.update({a.code: a for a in CouncilArea.objects.filter(code__in=[a.code for a in missing])})
    return [existing[code] for code in codes]


def _next_number() -> int:
    last = Organisation.objects.filter(slug__startswith=PREFIX).order_by("-slug").values_list("slug", flat=True).first()
    return int(last.removeprefix(PREFIX)) + 1 if last and last.removeprefix(PREFIX).isdigit() else 1


def _people(rng: random.Random, median: int) -> tuple[int, int]:
    people = max(1, int(math.exp(rng.gauss(math.log(median), 0.9))))
    paid = int(people * rng.uniform(0.0, 0.9))
    return paid, people - paid


def _services(rng: random.Random, org_type: str) -> list[str]:
    kinds = TYPES[org_type][3]
    chosen = {kinds[0]} | {kind for kind in kinds[1:] if rng.random() < 0.5}
    if rng.random() < 0.15:  # some others give information and advice too
        chosen.add(S.INFORMATION_ADVICE)
    return sorted(str(kind) for kind in chosen)


def _times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """About a year apart, the latest within the last eleven months."""
    latest = now - timedelta(days=rng.uniform(1, 330))
    times = [latest]
    for _ in range(count - 1):
        times.append(times[-1] - timedelta(days=rng.gauss(365, 40)))
    return sorted(times)


def _position(rng: random.Random, readiness: float, positions: int) -> int:
    return 1 + round((positions - 1) * min(1.0, max(0.0, readiness)))


def generate(
    *,
    organisations: int,
    assessments_per_organisation: int,
    area_code: str = "E98000001",
    areas: int = 1,
    seed: int = 1,
    instrument_key: str = "health-check",
    share_with: Organisation | None = None,
    share_fraction: float = 0.0,
    batch: int = 2000,
    now: datetime | None = None,
    log: Callable[[str], None] | None = None,
    types: Sequence[str] | None = None,
) -> Summary:
    """Make ``organisations`` synthetic organisations spread evenly over
    ``areas`` council areas (codes counted on from ``area_code``; an area
    that exists is used as it is), each with ``assessments_per_organisation``
    submitted assessments of the instrument, a year or so apart. With
    ``types``, the organisations have those types in turn instead of types
    drawn at random."""
    started = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (made-up figures, not secrets)
    instrument = Instrument.objects.get(key=instrument_key)
    version = instrument.latest_version()
    shape = facts.shape_of(version)
    sections = list(version.sections.prefetch_related("items"))
    items_of = {
        s.key: [
            _Item(
                i.pk,
                i.key,
                tuple(
                    i.kind.response_at(i.definition, place) for place in range(1, len(i.kind.scale(i.definition)) + 1)
                ),
                rng.uniform(-0.12, 0.12),
            )
            for i in s.items.all()
        ]
        for s in sections
    }
    council_areas = _areas(area_codes(area_code, areas))
    chosen_types = list(types) if types else None
    types = list(TYPES)
    weights = [TYPES[t][0] for t in types]
    number = _next_number()
    memo: dict = {}
    summary = Summary(areas=len(council_areas))
    done = 0
    while done < organisations:
        count = min(batch, organisations - done)
        with transaction.atomic(), _own_started_at(), _big_sqlite_cache():
            made = _batch(
                rng, count, number + done, council_areas, types, weights, version, shape, sections, items_of,
                assessments_per_organisation, now, share_with, share_fraction, memo, chosen_types,
            )  # fmt: skip
        summary.assessments += made[0]
        summary.answers += made[1]
        done += count
        if log:
            log(f"{done:,} of {organisations:,} organisations ({time.monotonic() - started:.0f} s)")
    summary.organisations = done
    facts.rebuild_national(instrument.pk)
    summary.seconds = time.monotonic() - started
    return summary


def _batch(
    rng, count, first_number, council_areas, types, weights, version, shape, sections, items_of,
    per_organisation, now, share_with, share_fraction, memo, chosen_types=None,
) -> tuple[int, int]:  # fmt: skip
    new = []
    for n in range(count):
        number = first_number + n
        org_type = rng.choices(types, weights)[0]
        if chosen_types:
            org_type = chosen_types[n % len(chosen_types)]
        paid, volunteers = _people(rng, TYPES[org_type][2])
        new.append(
            Organisation(
                name=f"Synthetic organisation {number:06d}",
                slug=f"{PREFIX}{number:06d}",
                org_type=org_type,
                paid_staff=paid,
                volunteers=volunteers,
                council_area=council_areas[number % len(council_areas)],
                services=_services(rng, org_type),
                description=DESCRIPTION,
            )
        )
    Organisation.objects.bulk_create(new)
    sharing: dict[int, str] = {}
    if share_with is not None and share_fraction:
        sharing = {o.pk: str(share_with.pk) for o in new if rng.random() < share_fraction}
        AccessGrant.objects.bulk_create(
            AccessGrant(organisation=o, support_organisation=share_with) for o in new if o.pk in sharing
        )
    plans = []  # (organisation, sections that apply, sections left out, submitted at, {item key: (item, position)})
    for organisation in new:
        applies = [s for s in sections if conditions.applies_to(s.condition, organisation)]
        applying = {s.key for s in applies}
        left_out = [
            {"key": s.key, "title": s.title, "reason": conditions.describe(s.condition)}
            for s in sections
            if s.key not in applying
        ]
        own = TYPES[organisation.org_type][1] + rng.gauss(0, 0.12)
        for k, when in enumerate(_times(rng, per_organisation, now)):
            readiness = own + IMPROVEMENT * k
            responses = {}
            for section in applies:
                for item in items_of[section.key]:
                    if rng.random() < NOT_RELEVANT:
                        responses[item.key] = (item, None)
                    else:
                        place = _position(rng, readiness - item.difficulty + rng.gauss(0, 0.15), item.positions)
                        responses[item.key] = (item, place)
            plans.append((organisation, applies, left_out, when, responses))
    assessments = [
        Assessment(
            organisation=organisation,
            version=version,
            status=AssessmentStatus.SUBMITTED,
            started_at=when - timedelta(days=rng.uniform(2, 30)),
            submitted_at=when,
            left_out=left_out,
        )
        for organisation, _applies, left_out, when, _responses in plans
    ]
    Assessment.objects.bulk_create(assessments)
    answers = Rows(Answer, ["assessment_id", "item_id", "level", "option", "not_relevant"], now)
    submissions = []
    chains: dict[int, list[Submission]] = {}
    for assessment, (organisation, applies, _left_out, _when, responses) in zip(assessments, plans, strict=True):
        scored = {}
        for key, (item, place) in responses.items():
            if place is None:
                answers.add(assessment.pk, item.pk, None, "", True)
                scored[key] = scoring.Response(not_relevant=True)
            else:
                response = item.answers[place - 1]
                answers.add(assessment.pk, item.pk, response.level, response.option or "", False)
                scored[key] = response
        scores = facts.score(shape, [s.key for s in applies], scored, memo)
        shares = sharing.get(organisation.pk, "")
        submission = facts.submission_for(assessment, organisation, version.instrument_id, shares)
        submission.overall = float(scores.overall) if scores.overall is not None else None
        submissions.append((submission, scores))
        chains.setdefault(organisation.pk, []).append(submission)
    for chain in chains.values():
        chain.sort(key=lambda s: s.submitted_at)
        for submission, superseded in zip(chain, facts.chain_quarters(chain), strict=True):
            submission.superseded_quarter = superseded
    submission_fields = [
        "assessment_id", "instrument_id", "organisation_id", "council_area_id", "org_type", "size_band",
        "sharing", "submitted_at", "quarter", "superseded_quarter", "overall",
    ]  # fmt: skip
    value_fields = [
        "submission_id", "instrument_id", "council_area_id", "org_type", "size_band", "sharing", "quarter",
        "superseded_quarter", "kind", "key", "value", "scale",
    ]  # fmt: skip
    submission_rows = Rows(Submission, submission_fields, now)
    value_rows = Rows(Value, value_fields, now)
    adapt = connection.ops.adapt_datetimefield_value
    for submission, scores in submissions:
        submission.submitted_at = adapt(submission.submitted_at)
        submission_rows.add(*(getattr(submission, name) for name in submission_fields))
        common = [getattr(submission, name) for name in value_fields[1:8]]
        for row in facts.value_fields(scores):
            value_rows.add(submission.pk, *common, *row)
    answers.write()
    submission_rows.write()
    value_rows.write()
    return len(assessments), sum(len(responses) for *_rest, responses in plans)


def top_up(
    area: CouncilArea,
    organisations: int,
    *,
    assessments_per_organisation: int = 3,
    share_with: Organisation | None = None,
    share_fraction: float = 0.0,
    seed: int = 1,
) -> Summary | None:
    """Make synthetic organisations in the area until it has ``organisations``
    of them (the demo calls this on every load; the second time it makes none)."""
    existing = Organisation.objects.filter(council_area=area, slug__startswith=PREFIX).count()
    if existing >= organisations:
        return None
    return generate(
        organisations=organisations - existing,
        assessments_per_organisation=assessments_per_organisation,
        area_code=area.code,
        seed=seed + existing,
        share_with=share_with,
        share_fraction=share_fraction,
    )


def describe(summary: Summary) -> str:
    return (
        f"Made {summary.organisations:,} synthetic organisations in {summary.areas:,} area(s), with "
        f"{summary.assessments:,} submitted assessments and {summary.answers:,} answers, in {summary.seconds:.1f} s."
    )
