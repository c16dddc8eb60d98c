"""Storing a checked action library (plans/library_file.py) as the
Suggestion rows of an instrument version.

The readiness loader knows nothing about plans: PlansConfig.ready()
registers ACTION_LIBRARY with readiness.loading.register_companion, and the
loader then checks KEY.actions.yaml with every instrument file KEY.yaml and,
in the same transaction, calls ``store`` with the version that file matches.

- The version has no suggestions yet: they are written ("loaded").
- It has exactly these (same keys, texts, ``for`` and order): nothing is
  written ("unchanged"), so loading again is silent.
- It has others: they are replaced ("updated"). Actions already drafted
  into plans are copies, so they keep the text they were drafted with.
"""

from __future__ import annotations

from pathlib import Path

from personfirst.readiness.assessments.instrument_file import InstrumentDefinition
from personfirst.readiness.assessments.loading import Companion
from personfirst.readiness.assessments.models import InstrumentVersion

from . import library_file
from .library_file import ActionLibrary
from .models import Suggestion


def _rows(library: ActionLibrary) -> list[tuple]:
    return [
        (action.item_key, action.key, action.title, action.detail, list(action.applies_to), position)
        for position, action in enumerate(library.actions, start=1)
    ]


def describe(count: int) -> str:
    return f"{count} suggested action{'s' if count != 1 else ''}"


def store(library: ActionLibrary, version: InstrumentVersion) -> tuple[str, str]:
    """Make the version's suggestions exactly the library's; (status, summary)."""
    wanted = _rows(library)
    stored = list(
        Suggestion.objects.filter(version=version)
        .order_by("position")
        .values_list("item_key", "key", "title", "detail", "applies_to", "position")
    )
    if stored == wanted:
        return "unchanged", describe(len(wanted))
    if stored:
        Suggestion.objects.filter(version=version).delete()
    Suggestion.objects.bulk_create(
        Suggestion(
            version=version,
            item_key=item_key,
            key=key,
            title=title,
            detail=detail,
            applies_to=applies_to,
            position=position,
        )
        for item_key, key, title, detail, applies_to, position in wanted
    )
    return ("updated" if stored else "loaded"), describe(len(wanted))


def read(path: Path, definition: InstrumentDefinition) -> ActionLibrary:
    return library_file.read_path(path, definition)


ACTION_LIBRARY = Companion(name="action library", suffix=library_file.SUFFIX, read=read, store=store)
