"""Load checked instrument files into the database, as numbered versions.

- A file is checked whole first (readiness/instrument_file.py); a file with
  any problem loads nothing.
- A version is identified by the sha256 of its parsed definition
  (InstrumentDefinition.content_hash), so comments and layout do not count,
  but any change of wording, order, key or option does.
- Loading content the instrument already has (in ANY earlier revision)
  writes nothing and returns that version with created=False.
- Otherwise it writes a new InstrumentVersion with the next revision number,
  and its Section and Item rows. Existing versions, and the assessments that
  point at them, are never changed.

Companion files. Another app can keep a file of its own beside each
instrument file, named KEY.SUFFIX.yaml, checked and loaded together with the
instrument (register_companion). The plans app registers its action
libraries (KEY.actions.yaml) this way, from its AppConfig.ready(), so this
module never imports plans. load_paths checks every instrument file AND its
companions before it writes anything: a problem in either refuses the whole
load. Then, in one transaction, each companion is stored against the version
its instrument file matches (new or existing); the companion's own store
function writes nothing when its content has not changed.

The crosswalk (crosswalk.yaml, readiness/crosswalk.py) is loaded by
load_shipped, with the shipped instruments and in the same transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from personfirst.readiness.assessments import crosswalk, instrument_file
from personfirst.readiness.assessments.instrument_file import InstrumentDefinition, InstrumentFileError, Problem, parse
from personfirst.readiness.assessments.models import (
    CrosswalkItem,
    CrosswalkLink,
    Instrument,
    InstrumentVersion,
    Item,
    Section,
)

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
CROSSWALK_PATH = SHIPPED_DIR / crosswalk.FILENAME

# Beside the instruments, but not instruments: companion files named
# KEY.SOMETHING.yaml (such as the action library health-check.actions.yaml)
# and the crosswalk.
NOT_INSTRUMENTS = ("*.*.yaml", crosswalk.FILENAME)


@dataclass(frozen=True)
class Companion:
    """A kind of file kept beside instrument files (KEY.SUFFIX.yaml), registered by another app.

    ``read(path, definition)`` checks the file against the instrument beside
    it and returns what to store, or raises InstrumentFileError (FILE:LINE
    problems). ``store(content, version)`` writes it for that instrument
    version, in the loader's transaction, and returns (status, summary):
    status "loaded", "updated" or "unchanged" (unchanged must write nothing),
    and a summary for people, such as "12 suggested actions".
    """

    name: str  # what people call it, e.g. "action library"
    suffix: str  # e.g. "actions" for KEY.actions.yaml
    read: Callable[[Path, InstrumentDefinition], Any]
    store: Callable[[Any, InstrumentVersion], tuple[str, str]]
    optional: bool = False  # True: most instruments have none, so a missing one is not reported

    def path_beside(self, instrument_path: str | Path) -> Path:
        path = Path(instrument_path)
        return path.with_name(f"{path.stem}.{self.suffix}.yaml")


@dataclass(frozen=True)
class CompanionResult:
    name: str
    path: Path
    status: str  # "loaded" | "updated" | "unchanged" | "missing" (no file beside the instrument)
    summary: str = ""
    optional: bool = False

    @property
    def reported(self) -> bool:
        """Worth a line of the load commands' output (not an optional file that is not there)."""
        return not (self.optional and self.status == "missing")

    @property
    def changed(self) -> bool:
        return self.status in ("loaded", "updated")


_companions: dict[str, Companion] = {}


def register_companion(companion: Companion) -> None:
    """Load files named KEY.<companion.suffix>.yaml with the instrument files beside them."""
    _companions[companion.suffix] = companion


def companions() -> list[Companion]:
    return list(_companions.values())


@dataclass(frozen=True)
class LoadResult:
    version: InstrumentVersion
    created: bool
    companions: tuple[CompanionResult, ...] = ()


@dataclass
class _Checked:
    """An instrument file, checked, with its companions: (companion, path, content or None if absent)."""

    path: Path
    definition: InstrumentDefinition
    companions: list[tuple[Companion, Path, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class CrosswalkResult:
    path: Path
    changed: bool
    links: int


def shipped_instrument_paths() -> list[Path]:
    """The instruments PersonFirst ships, in readiness/instruments/."""
    return sorted(p for p in SHIPPED_DIR.glob("*.yaml") if not any(p.match(pattern) for pattern in NOT_INSTRUMENTS))


def read_path(path: str | Path) -> InstrumentDefinition:
    """Read and check one file. Raises InstrumentFileError (also when the file cannot be read)."""
    return parse(instrument_file.read_text(path), str(path))


def load_definition(definition: InstrumentDefinition, source_name: str = "") -> LoadResult:
    """Store a checked definition, unless the instrument already has exactly this content."""
    content_hash = definition.content_hash()
    with transaction.atomic():
        instrument = Instrument.objects.filter(key=definition.key).first()
        if instrument is not None:
            existing = instrument.versions.filter(content_hash=content_hash).first()
            if existing is not None:
                return LoadResult(existing, created=False)
            # Lock the instrument row so two loads cannot take the same revision number.
            instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
            if instrument.title != definition.title:
                instrument.title = definition.title
                instrument.save(update_fields=["title"])
        else:
            instrument = Instrument.objects.create(key=definition.key, title=definition.title)
        latest = instrument.versions.aggregate(latest=Max("revision"))["latest"] or 0
        version = InstrumentVersion.objects.create(
            instrument=instrument,
            revision=latest + 1,
            label=definition.version,
            title=definition.title,
            publisher=definition.publisher,
            licence=definition.licence,
            description=definition.description,
            content_hash=content_hash,
            source_name=Path(source_name).name[:200],
        )
        items = []
        for section_position, section_definition in enumerate(definition.sections, start=1):
            section = Section.objects.create(
                version=version,
                key=section_definition.key,
                title=section_definition.title,
                guidance=section_definition.guidance,
                condition=section_definition.condition,
                weight=Decimal(str(section_definition.weight)),
                position=section_position,
            )
            for item_position, item in enumerate(section_definition.items, start=1):
                items.append(
                    Item(
                        version=version,
                        section=section,
                        key=item.key,
                        type=item.type,
                        prompt=item.prompt,
                        guidance=item.guidance,
                        levels=list(item.levels),
                        options=[
                            {"key": option.key, "label": option.label, "score": option.score} for option in item.options
                        ],
                        comments=item.comments,
                        settings=dict(item.settings),
                        condition=item.condition,
                        offers_not_relevant=item.not_relevant,
                        offers_dont_know=item.dont_know,
                        position=item_position,
                    )
                )
        Item.objects.bulk_create(items)
    return LoadResult(version, created=True)


def load_text(text: str, filename: str) -> LoadResult:
    """Check and load one instrument given as text. Raises InstrumentFileError."""
    return load_definition(parse(text, filename), filename)


def load_path(path: str | Path) -> LoadResult:
    """Check and load one instrument file, with its companions. Raises InstrumentFileError."""
    return load_paths([path])[0][1]


def _check(paths: list[Path]) -> tuple[list[_Checked], list[Problem]]:
    """Every file read and checked, with its companions; and every problem found."""
    checked: list[_Checked] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            definition = read_path(path)
        except InstrumentFileError as error:
            problems.extend(error.problems)
            continue  # its companions cannot be checked without it
        if definition.language != "en":
            problems.append(
                Problem(
                    str(path),
                    1,
                    f"this file is in another language ({definition.language}): put it beside the English file "
                    f"as KEY.{definition.language}.yaml, and it is loaded with it as a translation",
                )
            )
            continue
        entry = _Checked(path, definition)
        for companion in companions():
            companion_path = companion.path_beside(path)
            if not companion_path.exists():
                entry.companions.append((companion, companion_path, None))
                continue
            try:
                entry.companions.append((companion, companion_path, companion.read(companion_path, definition)))
            except InstrumentFileError as error:
                problems.extend(error.problems)
        checked.append(entry)
    return checked, problems


def _write(checked: list[_Checked]) -> list[tuple[Path, LoadResult]]:
    """Store checked files and their companions (call inside a transaction)."""
    loaded = []
    for entry in checked:
        result = load_definition(entry.definition, str(entry.path))
        done = []
        for companion, path, content in entry.companions:
            if content is None and companion.optional:
                continue  # most instruments have none (a Welsh version): nothing to report
            if content is None:
                done.append(CompanionResult(companion.name, path, "missing"))
            else:
                status, summary = companion.store(content, result.version)
                done.append(CompanionResult(companion.name, path, status, summary))
        loaded.append((entry.path, dataclasses.replace(result, companions=tuple(done))))
    return loaded


def load_paths(paths: Iterable[str | Path]) -> list[tuple[Path, LoadResult]]:
    """Check every file and its companions, then load them all in one transaction, or none.

    Raises InstrumentFileError with the problems of all the files together.
    """
    checked, problems = _check([Path(path) for path in paths])
    if problems:
        raise InstrumentFileError(problems)
    with transaction.atomic():
        return _write(checked)


# -- The crosswalk -------------------------------------------------------------------


def read_crosswalk(path: str | Path, definitions: Iterable[InstrumentDefinition]) -> crosswalk.Crosswalk:
    """Read and check a crosswalk file against these instruments. Raises InstrumentFileError."""
    instruments = {definition.key: [item.key for item in definition.items] for definition in definitions}
    return crosswalk.parse(instrument_file.read_text(path), str(path), instruments)


def store_crosswalk(walk: crosswalk.Crosswalk) -> bool:
    """Make the stored links exactly these; write nothing if they already are. True if anything changed."""
    wanted = [(link.theme, [(ref.instrument, ref.item) for ref in link.items]) for link in walk.links]
    stored = [
        (link.theme, [(item.instrument_key, item.item_key) for item in link.items.all()])
        for link in CrosswalkLink.objects.prefetch_related("items")
    ]
    if stored == wanted:
        return False
    CrosswalkLink.objects.all().delete()
    for position, (theme, refs) in enumerate(wanted, start=1):
        link = CrosswalkLink.objects.create(theme=theme, position=position)
        CrosswalkItem.objects.bulk_create(
            CrosswalkItem(link=link, instrument_key=instrument, item_key=item, position=number)
            for number, (instrument, item) in enumerate(refs, start=1)
        )
    return True


def load_shipped(
    paths: Iterable[str | Path] | None = None, crosswalk_path: str | Path | None = None
) -> tuple[list[tuple[Path, LoadResult]], CrosswalkResult]:
    """The shipped instruments (with their companions) and then the crosswalk
    between them (by default, the files in SHIPPED_DIR): all checked first,
    then loaded in one transaction, or none."""
    paths = shipped_instrument_paths() if paths is None else [Path(path) for path in paths]
    crosswalk_path = SHIPPED_DIR / crosswalk.FILENAME if crosswalk_path is None else Path(crosswalk_path)
    checked, problems = _check(paths)
    walk = None
    if not problems:  # the crosswalk is checked against the instruments, so they must be readable first
        try:
            walk = read_crosswalk(crosswalk_path, [entry.definition for entry in checked])
        except InstrumentFileError as error:
            problems.extend(error.problems)
    if problems:
        raise InstrumentFileError(problems)
    with transaction.atomic():
        results = _write(checked)
        changed = store_crosswalk(walk)
    return results, CrosswalkResult(crosswalk_path, changed, len(walk.links))
