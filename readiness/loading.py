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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from readiness.instrument_file import InstrumentDefinition, InstrumentFileError, Problem, parse
from readiness.models import Instrument, InstrumentVersion, Item, Section

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
# Other files that live beside the shipped instruments but are not instruments:
# companions named KEY.SOMETHING.yaml (such as health-check.actions.yaml) and these.
NOT_INSTRUMENTS = frozenset({"crosswalk.yaml"})


@dataclass(frozen=True)
class LoadResult:
    version: InstrumentVersion
    created: bool


# Beside the instruments, but not instruments: action libraries
# (<instrument>.actions.yaml, read by plans.library) and the crosswalk.
NOT_INSTRUMENTS = ("*.actions.yaml", "crosswalk.yaml")


def shipped_instrument_paths() -> list[Path]:
    """The instruments PersonFirst ships, in readiness/instruments/."""
    return sorted(p for p in SHIPPED_DIR.glob("*.yaml") if not any(p.match(pattern) for pattern in NOT_INSTRUMENTS))


def read_path(path: str | Path) -> InstrumentDefinition:
    """Read and check one file. Raises InstrumentFileError (also when the file cannot be read)."""
    filename = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InstrumentFileError(
            [Problem(filename, None, f"cannot read the file: it is not UTF-8 text ({error.reason})")]
        ) from None
    except OSError as error:
        raise InstrumentFileError(
            [Problem(filename, None, f"cannot read the file: {error.strerror or error}")]
        ) from None
    return parse(text, filename)


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
                        position=item_position,
                    )
                )
        Item.objects.bulk_create(items)
    return LoadResult(version, created=True)


def load_text(text: str, filename: str) -> LoadResult:
    """Check and load one instrument given as text. Raises InstrumentFileError."""
    return load_definition(parse(text, filename), filename)


def load_path(path: str | Path) -> LoadResult:
    """Check and load one instrument file. Raises InstrumentFileError."""
    return load_definition(read_path(path), str(path))


def load_paths(paths: Iterable[str | Path]) -> list[tuple[Path, LoadResult]]:
    """Check every file, then load them all in one transaction, or none.

    Raises InstrumentFileError with the problems of all the files together.
    """
    paths = [Path(path) for path in paths]
    definitions: list[InstrumentDefinition] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            definitions.append(read_path(path))
        except InstrumentFileError as error:
            problems.extend(error.problems)
    if problems:
        raise InstrumentFileError(problems)
    with transaction.atomic():
        return [
            (path, load_definition(definition, str(path))) for path, definition in zip(paths, definitions, strict=True)
        ]
