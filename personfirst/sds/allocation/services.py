"""Loading RAS versions and making indicative budgets: the one path for the
management command, the pages and the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from . import ras as ras_rules
from . import ras_file
from .models import IndicativeBudget, RasVersion


class RasLoadError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_ras(text: str, filename: str, *, by=None, check=None) -> tuple[RasVersion, bool]:
    """Store a RAS version from its file's text: (version, created). A
    version already stored with other text is refused: a published version
    never changes (give the change a new version number). ``check(ras)``
    returns more problems (such as answers of the questionnaire it does not
    price)."""
    try:
        ras = ras_file.parse(text, filename)
    except ras_file.RasFileError as error:
        raise RasLoadError([str(problem) for problem in error.problems]) from None
    problems = [f"{filename}: {problem}" for problem in (check(ras) if check else [])]
    if problems:
        raise RasLoadError(problems)
    with transaction.atomic():
        existing = RasVersion.objects.filter(key=ras.key, version=ras.version).first()
        if existing is not None:
            if existing.source != text:
                raise RasLoadError(
                    [
                        f"{filename}:1: version {ras.version} of {ras.key} is already loaded with other content; "
                        "give the change a new version number"
                    ]
                )
            return existing, False
        version = RasVersion.objects.create(
            key=ras.key,
            version=ras.version,
            title=ras.title,
            effective_from=ras.effective_from,
            source=text,
            loaded_by=by,
        )
    return version, True


def load_ras_file(path: str | Path, *, by=None, check=None) -> tuple[RasVersion, bool]:
    path = Path(path)
    return load_ras(path.read_text(encoding="utf-8"), str(path), by=by, check=check)


def current_ras(on: datetime.date | None = None) -> RasVersion | None:
    """The RAS version in force on a day: the latest one that has started."""
    on = on or timezone.localdate()
    return RasVersion.objects.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()


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
    version = current_ras()
    if version is None:
        raise RasLoadError(["No RAS is in force yet: a council administrator must load one."])
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
