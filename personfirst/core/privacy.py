"""Personal data, declared where it is held (UK GDPR: access, erasure, storage limitation).

Each app says what personal data its models hold in its own ``personal_data.py``
(found the way ``rules.py`` is), with :func:`holds` for a model that holds some
and :func:`holds_none` for a model that looks as if it might but does not. A
declaration says which fields are personal, how they are exported, how they
are erased (or anonymised) and how long they are kept. :func:`export`,
:func:`erase` and :func:`apply_retention` walk the declarations, so no module
here knows any app. :func:`undeclared` names every model with personal-looking
fields that no app has declared; a test keeps it empty.

Erasure anonymises instead of deleting (decision 0006). Every holding's own
eraser runs, in ``order``, and after it every name, address and phone number the person
has had (:func:`identities`) is replaced with ``[erased]`` in every field a
holding lists in ``mentions``, in every row, with ``QuerySet.update()`` so that
the change log does not repeat the old values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

ERASED = "[erased]"


@dataclass(frozen=True)
class Retention:
    """How long a model's rows are kept.

    ``says`` is the rule in plain words (it is printed on the operations page's
    table and by the retention command). With ``period`` and ``expired`` (a
    function of the cut-off moment giving the rows older than the period),
    ``manage.py apply_retention`` removes those rows; ``remove`` changes how
    (by default they are deleted)."""

    says: str
    period: timedelta | None = None
    expired: Callable[[datetime], models.QuerySet] | None = None
    remove: Callable[[models.QuerySet], int] | None = None


@dataclass(frozen=True)
class Holding:
    model: str
    what: str
    fields: tuple[str, ...]
    keep: Retention
    export: Callable[[Any], dict[str, Any]] | None = None
    erase: Callable[[Any, list[str]], None] | None = None
    mentions: tuple[str, ...] = ()
    identities: Callable[[Any], Iterable[str]] | None = None
    order: int = 50

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


_holdings: dict[str, Holding] = {}
_none: dict[str, str] = {}
_discovered = False


def holds(
    model: str,
    *,
    what: str,
    fields: Iterable[str],
    keep: Retention,
    export: Callable[[Any], dict[str, Any]] | None = None,
    erase: Callable[[Any, list[str]], None] | None = None,
    mentions: Iterable[str] = (),
    identities: Callable[[Any], Iterable[str]] | None = None,
    order: int = 50,
) -> None:
    """Declare that ``model`` ("app_label.Model") holds personal data.

    - ``fields``: the personal fields (names, addresses, free text, links to a person);
    - ``export(user)``: the sections it adds to that person's download;
    - ``erase(user, identities)``: what it deletes or anonymises (runs in ``order``);
    - ``mentions``: free-text fields from which every identity of an erased person
      is removed, in every row (someone else's note may name them);
    - ``identities(user)``: names and addresses of the person this model knows;
    - ``keep``: the retention rule."""
    if model in _holdings or model in _none:
        raise ValueError(f"{model} is declared twice")
    _holdings[model] = Holding(
        model=model,
        what=what,
        fields=tuple(fields),
        keep=keep,
        export=export,
        erase=erase,
        mentions=tuple(mentions),
        identities=identities,
        order=order,
    )


def holds_none(model: str, reason: str) -> None:
    """Declare that ``model`` holds no personal data, though its fields look as if
    it might, and say why."""
    if model in _holdings or model in _none:
        raise ValueError(f"{model} is declared twice")
    _none[model] = reason


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("personal_data")
        _discovered = True


def holdings() -> list[Holding]:
    discover()
    return sorted(_holdings.values(), key=lambda h: (h.order, h.model))


def not_personal() -> dict[str, str]:
    discover()
    return dict(_none)


# -- What counts as personal-looking ---------------------------------------------------

PERSONAL_NAMES = re.compile(
    r"(^|_)(name|names|email|phone|number|address|owner|attention|text|notes?|reasons?|why|detail|"
    r"what_matters|entry|changes|username|user_agent|ip_address|session_data)$"
)


def personal_looking(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that may hold personal data: e-mail fields, free text,
    fields named like a name, address, phone number or note, and links to an
    account or a person's record."""
    person_models = {settings.AUTH_USER_MODEL}
    if apps.is_installed("personfirst.core.people"):
        person_models.add("people.Person")
    found = []
    for f in model._meta.concrete_fields:
        if (
            f.is_relation
            and f.related_model is not None
            and f.related_model._meta.label in person_models
            or isinstance(f, models.EmailField | models.TextField | models.GenericIPAddressField)
            or isinstance(f, models.CharField | models.JSONField)
            and PERSONAL_NAMES.search(f.name)
        ):
            found.append(f.name)
    return found


def undeclared() -> list[str]:
    """Models with personal-looking fields that no app has declared, "label: fields"."""
    discover()
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if label in _holdings or label in _none:
            continue
        looking = personal_looking(model)
        if looking:
            missing.append(f"{label}: {', '.join(looking)}")
    return sorted(missing)


# -- Export ------------------------------------------------------------------------------


def export(user) -> dict:
    """Everything PersonFirst holds about this person, as plain JSON data: one
    section (or more) from each declaration."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for holding in holdings():
        if holding.export is None:
            continue
        for section, value in holding.export(user).items():
            if section in data:
                raise ValueError(f"{holding.model} exports {section!r}, which another model exports too")
            data[section] = value
    return data


# -- Erasure -----------------------------------------------------------------------------


def identities(user) -> list[str]:
    """Every name, e-mail address and phone number the person has had, longest
    first (so that "Asha B. Admin" goes before "Asha")."""
    found: set[str] = set()
    for holding in holdings():
        if holding.identities is not None:
            found.update(holding.identities(user))
    return sorted({v.strip() for v in found if v and len(v.strip()) >= 3}, key=len, reverse=True)


@transaction.atomic
def erase(user) -> None:
    """Remove what identifies the person from every declared model; keep what the
    figures are made of. Erasing an erased account changes nothing."""
    if getattr(user, "erased_at", None) is not None:
        return
    needles = identities(user)
    for holding in holdings():
        if holding.erase is not None:
            holding.erase(user, needles)
        if holding.mentions:
            scrub_mentions(holding.model_class(), holding.mentions, needles)
    user.refresh_from_db()


def scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), ERASED, text, flags=re.IGNORECASE)
    return text


def scrub_json(value, needles: list[str]):
    if isinstance(value, str):
        return scrub(value, needles)
    if isinstance(value, list):
        return [scrub_json(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: scrub_json(v, needles) for k, v in value.items()}
    return value


def mentioning(fields: Iterable[str], needles: list[str]) -> Q:
    """Rows with any needle in any of the fields (JSON columns may hold non-ASCII
    characters escaped, so both spellings are looked for)."""
    query = Q(pk__in=[])
    for needle in needles:
        for variant in {needle, json.dumps(needle)[1:-1]}:
            for name in fields:
                query |= Q(**{f"{name}__icontains": variant})
    return query


def scrub_mentions(model: type[models.Model], fields: Iterable[str], needles: list[str]) -> int:
    """Replace every needle in the fields of every row that mentions one, without
    a new change-log entry. Returns the number of rows changed."""
    fields = tuple(fields)
    if not needles:
        return 0
    changed = 0
    for row in model._default_manager.filter(mentioning(fields, needles)).values("pk", *fields):
        new = {name: scrub_json(row[name], needles) for name in fields}
        new = {name: value for name, value in new.items() if value != row[name]}
        if new:
            model._default_manager.filter(pk=row["pk"]).update(**new)
            changed += 1
    return changed


# -- Retention ---------------------------------------------------------------------------


@dataclass
class RetentionResult:
    model: str
    says: str
    count: int
    removed: bool = False


def apply_retention(*, now: datetime | None = None, dry_run: bool = True) -> list[RetentionResult]:
    """For each declaration with a retention period, the rows past it; removed
    unless ``dry_run``."""
    now = now or timezone.now()
    results = []
    for holding in holdings():
        keep = holding.keep
        if keep.period is None or keep.expired is None:
            continue
        rows = keep.expired(now - keep.period)
        count = rows.count()
        result = RetentionResult(model=holding.model, says=keep.says, count=count)
        if count and not dry_run:
            with transaction.atomic():
                if keep.remove is not None:
                    keep.remove(rows)
                else:
                    rows.delete()
            result.removed = True
        results.append(result)
    return results
