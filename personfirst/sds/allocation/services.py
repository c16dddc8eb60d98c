"""Loading RAS versions and making indicative budgets: the one path for the
management command, the pages and the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from personfirst.core.concurrency import ConflictError, lock, refresh_locked

from . import ras as ras_rules
from . import ras_file
from .models import IndicativeBudget, RasVersion


class RasLoadError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class PublishError(ValueError):
    """A publication that cannot be done as asked (such as a date in the past)."""


def load_ras(text: str, filename: str, *, council_area, by=None, check=None) -> tuple[RasVersion, bool]:
    """Store a RAS version of a council from its file's text, as a draft:
    (version, stored). ``stored`` is False when the same text is there
    already. A draft of the same version number is replaced; a published
    version never changes (give the change a new version number).
    ``check(ras)`` returns more problems (such as answers of the
    questionnaire it does not price). Nothing is stored from a file with any
    problem."""
    try:
        ras = ras_file.parse(text, filename)
    except ras_file.RasFileError as error:
        raise RasLoadError([str(problem) for problem in error.problems]) from None
    problems = [f"{filename}: {problem}" for problem in (check(ras) if check else [])]
    if problems:
        raise RasLoadError(problems)
    area_id = getattr(council_area, "pk", council_area)
    try:
        with transaction.atomic():
            mine = RasVersion.objects.filter(council_area_id=area_id, key=ras.key, version=ras.version)
            existing = mine.select_for_update().first()
            if existing is not None:
                if existing.source == text:
                    return existing, False
                if not existing.is_draft:
                    raise RasLoadError(
                        [
                            f"{filename}:1: version {ras.version} of {ras.key} is already published with other "
                            "content; give the change a new version number"
                        ]
                    )
                existing.title, existing.effective_from, existing.source = ras.title, ras.effective_from, text
                existing.loaded_at, existing.loaded_by = timezone.now(), by
                existing.save(update_fields=["title", "effective_from", "source", "loaded_at", "loaded_by"])
                return existing, True
            version = RasVersion.objects.create(
                council_area_id=area_id,
                key=ras.key,
                version=ras.version,
                title=ras.title,
                effective_from=ras.effective_from,
                source=text,
                loaded_by=by,
            )
    except IntegrityError:  # the same version stored by someone else a moment ago
        raise RasLoadError(
            [f"{filename}:1: version {ras.version} of {ras.key} was stored by someone else just now; look at it first"]
        ) from None
    return version, True


def load_ras_file(path: str | Path, *, council_area, by=None, check=None) -> tuple[RasVersion, bool]:
    path = Path(path)
    return load_ras(path.read_text(encoding="utf-8"), str(path), council_area=council_area, by=by, check=check)


def published(council_area) -> QuerySet[RasVersion]:
    return RasVersion.objects.filter(council_area=council_area, published_at__isnull=False)


def current_ras(council_area, on: datetime.date | None = None) -> RasVersion | None:
    """The council's RAS version in force on a day: of the published ones
    that have started, the latest to start (the highest version on a tie)."""
    on = on or timezone.localdate()
    return (
        published(council_area)
        .filter(effective_from__lte=on)
        .order_by("-effective_from", "-version", "-published_at")
        .first()
    )


@dataclass(frozen=True)
class Published:
    version: RasVersion
    budgets_made: int  # new indicative budgets made at once (0 when it starts later)


def _lock_council(council_area_id) -> None:
    """Publishing, and making a budget, in one council take turns: a budget
    is never made with a version that a publication is replacing meanwhile."""
    from personfirst.core.organisations.models import CouncilArea

    lock(CouncilArea.objects.filter(pk=council_area_id), no_key=True)


def publish(
    version: RasVersion, *, by, effective_from: datetime.date | None = None, backdate: bool = False
) -> Published:
    """Publish a draft from ``effective_from`` (the file's date if not
    given; today or later unless ``backdate``, which only loading the
    shipped demo RAS uses). From then on it never changes.

    If it is in force at once, every current person of the council whose
    self-assessment is agreed gets a new indicative budget made with it, in
    the same transaction; their earlier budgets stay, each with the version
    that made it. Two publications in one council take turns (the council's
    row is locked); a version already published is refused with a
    ConflictError saying when and by whom."""
    today = timezone.localdate()
    effective_from = effective_from or version.effective_from
    if effective_from < today and not backdate:
        raise PublishError("The date it takes effect must be today or later.")
    with transaction.atomic():
        _lock_council(version.council_area_id)
        refresh_locked(version, "This RAS version has been removed.")
        if not version.is_draft:
            when = timezone.localtime(version.published_at).strftime("%-d %B %Y at %H:%M")
            who = version.published_by.display_name if version.published_by else "someone"
            raise ConflictError(f"{version} was already published on {when} by {who}.", version)
        version.published_at, version.published_by = timezone.now(), by
        version.effective_from = effective_from
        version.save(update_fields=["published_at", "published_by", "effective_from"])
        made = 0
        if current_ras(version.council_area_id, today) == version:
            made = remake_budgets(version, by=by)
    return Published(version, made)


def remake_budgets(version: RasVersion, *, by) -> int:
    """A new indicative budget with ``version`` for every person of its
    council whose latest agreed self-assessment has answers (in bulk; the
    caller holds the transaction). Returns how many were made."""
    from . import impact

    ras = version.ras()
    made = 0
    batch: list[IndicativeBudget] = []
    for agreed in impact.agreed_answers(version.council_area_id):
        result = ras_rules.allocate(ras, agreed.answers, carer_present=agreed.carer_present)
        batch.append(
            IndicativeBudget(
                self_assessment_id=agreed.self_assessment_id,
                person_id=agreed.person_id,
                ras_version=version,
                points=result.points,
                weekly=result.weekly,
                yearly=result.yearly,
                to_panel=result.to_panel,
                breakdown=breakdown(result, impact.labels_for(agreed)),
                made_by=by,
            )
        )
        if len(batch) >= 2000:
            made += len(IndicativeBudget.objects.bulk_create(batch))
            batch = []
    made += len(IndicativeBudget.objects.bulk_create(batch))
    return made


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def breakdown(result: ras_rules.Allocation, labels: Mapping[str, tuple[str, str]]) -> dict:
    """The explanation as JSON (amounts as exact text). ``labels`` names each
    question and answer in the questionnaire's words: question -> (prompt, answer)."""

    def named(given: ras_rules.AnswerPoints) -> dict:
        prompt, answer = labels.get(given.question, (given.question, given.answer))
        return {"question": given.question, "prompt": prompt, "answer": answer, "points": given.points}

    return {
        "domains": [
            {
                "key": d.key,
                "title": d.title,
                "raw": d.raw,
                "cap": d.cap,
                "counted": d.counted,
                "note": d.note,
                "answers": [named(a) for a in d.answers],
            }
            for d in result.domains
        ],
        "points": result.points,
        "steps": [{"text": s.text, "weekly": _text(s.weekly)} for s in result.steps],
        "moved_by": [{**named(a), "weekly": _text(amount)} for a, amount in result.moved_by],
        "weekly": _text(result.weekly),
        "yearly": _text(result.yearly),
        "to_panel": result.to_panel,
    }


def make_budget(
    self_assessment, answers: Mapping[str, str], labels: Mapping[str, tuple[str, str]], *, by
) -> IndicativeBudget:
    """The indicative budget for agreed answers, with the RAS in force today
    in the person's council (the caller holds the transaction)."""
    area_id = self_assessment.person.council_area_id
    _lock_council(area_id)
    version = current_ras(area_id)
    if version is None:
        raise RasLoadError(["No RAS is in force in this council yet: a council administrator must publish one."])
    result = ras_rules.allocate(version.ras(), answers, carer_present=self_assessment.carer_present)
    return IndicativeBudget.objects.create(
        self_assessment=self_assessment,
        person_id=self_assessment.person_id,
        ras_version=version,
        points=result.points,
        weekly=result.weekly,
        yearly=result.yearly,
        to_panel=result.to_panel,
        breakdown=breakdown(result, labels),
        made_by=by,
    )
