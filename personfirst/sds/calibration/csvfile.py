"""Reading a calibration file: costed historic packages, one a row.

Plain Python: no database, no HTTP. ``parse`` reads the whole file and
returns every good row and every problem, each as ``line N: column X:
problem`` (``line N: problem`` when no one column is at fault), so that the
person importing sees all of them at once. The pages, the API and the
benchmark all read files through here.

The columns (docs/sds.md shows an example):

- ``points`` (a whole number, 0 or more), or instead one column per
  domain named ``points_<domain key>`` (``points_personal-care``...), whose
  values are added up;
- ``weekly_cost``: what the package cost a week, in pounds, like 245.50
  (no £ sign, no commas, at most 2 decimal places, 0 or more);
- ``age_band``: one of groups.AGE_BANDS (18-24, 25-64, 65-74, 75-84, 85+);
- ``client_group``: one of groups.CLIENT_GROUPS (the national primary
  support reason groups: physical, sensory, memory-cognition,
  learning-disability, mental-health, social);
- ``carer_present``: yes or no.

Codes are read without regard to capitals or spaces around them. Blank
lines are skipped. A problem with the header (a column missing, unknown or
given twice) or with the file as a whole refuses the whole file: no row of
it can be imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .groups import AGE_BANDS, CLIENT_GROUPS

POINTS = "points"
DOMAIN_PREFIX = "points_"
WEEKLY_COST = "weekly_cost"
AGE_BAND = "age_band"
CLIENT_GROUP = "client_group"
CARER_PRESENT = "carer_present"
REQUIRED = (WEEKLY_COST, AGE_BAND, CLIENT_GROUP, CARER_PRESENT)
DOMAIN_COLUMN = re.compile(r"^points_[a-z0-9]+(-[a-z0-9]+)*$")
WHOLE = re.compile(r"[+-]?\d+")
AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")

MAX_ROWS = 100_000
# The most a package may cost a week (it fits the stored field: 10 digits, 2 after the point).
MAX_WEEKLY = Decimal("99999999.99")
YES_NO = {"yes": True, "no": False}


@dataclass(frozen=True)
class Problem:
    line: int
    text: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: column {self.column}: " if self.column else f"line {self.line}: "
        return where + self.text


@dataclass(frozen=True)
class PackageRow:
    line: int
    points: int
    weekly_cost: Decimal
    age_band: str
    client_group: str
    carer_present: bool
    domain_points: dict[str, int] = field(default_factory=dict)


@dataclass
class Result:
    rows: list[PackageRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # A problem with the file as a whole (its header, its size): nothing in it may be imported.
    refused: bool = False
    bad_lines: int = 0

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def decode(data: bytes) -> str | None:
    """The file as text (UTF-8, with or without a byte order mark), or None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def not_text() -> Result:
    """The result for a file that is not UTF-8 text."""
    result = Result(refused=True)
    result.problems.append(Problem(1, "the file is not UTF-8 text: save it as CSV UTF-8 and upload it again"))
    return result


def _listed(codes) -> str:
    return ", ".join(codes)


def _header(names: list[str], result: Result) -> list[str] | None:
    """The columns, cleaned; problems are added for a header that cannot be read."""
    columns = [name.strip().lower() for name in names]
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            result.problems.append(Problem(1, "given twice", column))
        seen.add(column)
        if column not in REQUIRED and column != POINTS and not DOMAIN_COLUMN.match(column):
            shown = column or "(no name)"
            result.problems.append(Problem(1, "not a column of a calibration file", shown))
    for column in REQUIRED:
        if column not in seen:
            result.problems.append(Problem(1, "missing", column))
    domains = [c for c in columns if c.startswith(DOMAIN_PREFIX)]
    if POINTS in seen and domains:
        result.problems.append(Problem(1, "give either points or points per domain (points_...), not both", POINTS))
    elif POINTS not in seen and not domains:
        result.problems.append(Problem(1, "missing (give points, or points per domain as points_<domain>)", POINTS))
    if result.problems:
        result.refused = True
        return None
    return columns


def _whole_number(line: int, column: str, raw: str, problems: list[Problem]) -> int | None:
    if not raw:
        problems.append(Problem(line, "is empty", column))
        return None
    if not WHOLE.fullmatch(raw):
        problems.append(Problem(line, f'"{raw}" is not a whole number', column))
        return None
    value = int(raw)
    if value < 0:
        problems.append(Problem(line, f'"{raw}" is below 0', column))
        return None
    return value


def _money(line: int, raw: str, problems: list[Problem]) -> Decimal | None:
    if not raw:
        problems.append(Problem(line, "is empty", WEEKLY_COST))
        return None
    if not AMOUNT.fullmatch(raw):
        problems.append(Problem(line, f'"{raw}" is not an amount in pounds, like 245.50', WEEKLY_COST))
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        problems.append(Problem(line, f'"{raw}" is not an amount in pounds, like 245.50', WEEKLY_COST))
        return None
    if value < 0:
        problems.append(Problem(line, f'"{raw}" is below £0', WEEKLY_COST))
        return None
    if value.as_tuple().exponent < -2:
        problems.append(Problem(line, f'"{raw}" has more than 2 decimal places', WEEKLY_COST))
        return None
    if value > MAX_WEEKLY:
        problems.append(Problem(line, f'"{raw}" is more than £{MAX_WEEKLY:,} a week', WEEKLY_COST))
        return None
    return value.quantize(Decimal("0.01"))


def _code(line: int, column: str, raw: str, codes, what: str, problems: list[Problem]) -> str | None:
    value = raw.lower()
    if not value:
        problems.append(Problem(line, "is empty", column))
        return None
    if value not in codes:
        problems.append(Problem(line, f'"{raw}" is not {what} (use one of {_listed(codes)})', column))
        return None
    return value


def _row(line: int, columns: list[str], values: list[str], problems: list[Problem]) -> PackageRow | None:
    found: list[Problem] = []
    given = dict(zip(columns, map(str.strip, values), strict=True))
    domain_points: dict[str, int] = {}
    points: int | None = 0
    if POINTS in given:
        points = _whole_number(line, POINTS, given[POINTS], found)
    else:
        for column in columns:
            if column.startswith(DOMAIN_PREFIX):
                value = _whole_number(line, column, given[column], found)
                if value is not None:
                    domain_points[column.removeprefix(DOMAIN_PREFIX)] = value
        points = sum(domain_points.values())
    cost = _money(line, given[WEEKLY_COST], found)
    age = _code(line, AGE_BAND, given[AGE_BAND], AGE_BANDS, "an age band", found)
    group = _code(line, CLIENT_GROUP, given[CLIENT_GROUP], CLIENT_GROUPS, "a client group", found)
    carer = given[CARER_PRESENT].lower()
    if not carer:
        found.append(Problem(line, "is empty", CARER_PRESENT))
    elif carer not in YES_NO:
        found.append(Problem(line, f'"{given[CARER_PRESENT]}" is not yes or no', CARER_PRESENT))
    if found:
        problems.extend(found)
        return None
    return PackageRow(line, points, cost, age, group, YES_NO[carer], domain_points)


def parse(text: str) -> Result:
    """Every good row of the file and every problem, in the order of the file."""
    result = Result()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None or not any(name.strip() for name in header):
            result.problems.append(Problem(1, "the file is empty: the first line must name the columns"))
            result.refused = True
            return result
        columns = _header(header, result)
        if columns is None:
            return result
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # a blank line
            if len(result.rows) + result.bad_lines >= MAX_ROWS:
                result.problems.append(Problem(line, f"the file has more than {MAX_ROWS:,} packages: split it"))
                result.refused = True
                return result
            if len(values) != len(columns):
                result.problems.append(
                    Problem(line, f"has {len(values)} values where the header has {len(columns)} columns")
                )
                result.bad_lines += 1
                continue
            row = _row(line, columns, values, result.problems)
            if row is None:
                result.bad_lines += 1
            else:
                result.rows.append(row)
    except csv.Error as error:
        result.problems.append(Problem(reader.line_num, f"cannot be read as CSV ({error})"))
        result.refused = True
    return result
