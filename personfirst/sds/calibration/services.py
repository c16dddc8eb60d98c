"""Calibration, as the pages, the API and the benchmark use it: check a
file, import its good rows (all of them in one transaction, or none), and
fit and compare what was imported. The rules of a good row are csvfile's;
the sums are fitting's and equity's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import connections, transaction

from personfirst.core.concurrency import ConflictError, refresh_locked

from . import csvfile, equity, fitting
from .models import CalibrationImport, CalibrationPackage, CalibrationUpload

# 8 parameters a row: 4,000 a statement, within every supported database's limit.
ROWS_PER_INSERT = 500


class ImportRefused(ValueError):
    """The import cannot be made: a message in the service's words."""


def check_upload(user, area, file_name: str, data: bytes | str) -> tuple[CalibrationUpload, csvfile.Result]:
    """Read the file and keep it, with its counts, until the person decides."""
    text = data if isinstance(data, str) else csvfile.decode(data)
    # A NUL character is never in a CSV file saved as text (it is in a UTF-16
    # one, read as UTF-8), and PostgreSQL cannot keep it: the file is refused.
    if text is None or "\x00" in text:
        result, text = csvfile.not_text(), ""
    else:
        result = csvfile.parse(text)
    upload = CalibrationUpload.objects.create(
        council_area=area,
        uploaded_by=user,
        file_name=((file_name or "").replace("\x00", "") or "calibration.csv")[:200],
        content=text,
        good_rows=len(result.rows),
        bad_rows=result.bad_lines,
        refused=result.refused,
    )
    return upload, result


def report(upload: CalibrationUpload) -> csvfile.Result:
    if upload.refused and not upload.content:
        return csvfile.not_text()
    return csvfile.parse(upload.content)


def confirm(user, upload: CalibrationUpload, good_rows: int) -> CalibrationImport:
    """Import the upload's good rows, all in one transaction, and forget the
    upload. ``good_rows`` is the number the person agreed to import."""
    with transaction.atomic():
        refresh_locked(upload, "This file has been imported or given up already.")
        if upload.uploaded_by_id != user.pk:
            raise ImportRefused("Only the person who uploaded this file can import it.")
        result = csvfile.parse(upload.content)
        if result.refused:
            raise ImportRefused("Nothing in this file can be imported: correct it and upload it again.")
        if not result.rows:
            raise ImportRefused("This file has no good rows to import.")
        if len(result.rows) != good_rows:
            raise ImportRefused(
                f"This file has {len(result.rows):,} good rows, not {good_rows:,}: check the report again."
            )
        made = CalibrationImport.objects.create(
            council_area=upload.council_area,
            imported_by=user,
            file_name=upload.file_name,
            row_count=len(result.rows),
            bad_rows_left_out=result.bad_lines,
        )
        write_packages(made, result.rows)
        upload.delete()
    return made


# The columns written for each package, in order.
PACKAGE_FIELDS = (
    "calibration_import",
    "line",
    "points",
    "domain_points",
    "weekly_cost",
    "age_band",
    "client_group",
    "carer_present",
)


def write_packages(made: CalibrationImport, rows: Sequence[csvfile.PackageRow]) -> None:
    """Plain multi-row INSERTs of every package, ROWS_PER_INSERT at a time,
    on the import's transaction.

    Not bulk_create: making 50,000 model instances only to turn them back
    into parameters took most of an import's time (bench/calibration.py),
    and one row per statement (executemany) is slow on PostgreSQL. Each value
    still goes through its field's own conversion for the database (the
    money as a decimal, the domain points as JSON), and the table's
    constraints still apply."""
    connection = connections[CalibrationPackage.objects.db]
    meta = CalibrationPackage._meta
    fields = [meta.get_field(name) for name in PACKAGE_FIELDS]
    quote = connection.ops.quote_name
    # The table and column names are the model's own, quoted; every value is a parameter.
    columns, slots = ", ".join(quote(f.column) for f in fields), "(" + ", ".join(["%s"] * len(fields)) + ")"
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    cost, domains = meta.get_field("weekly_cost"), meta.get_field("domain_points")
    no_domains = domains.get_db_prep_save({}, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            batch = rows[start : start + ROWS_PER_INSERT]
            params: list = []
            for row in batch:
                params += (
                    made.pk,
                    row.line,
                    row.points,
                    domains.get_db_prep_save(row.domain_points, connection) if row.domain_points else no_domains,
                    cost.get_db_prep_save(row.weekly_cost, connection),
                    row.age_band,
                    row.client_group,
                    row.carer_present,
                )
            insert_batch(cursor, insert + ", ".join([slots] * len(batch)), params)


def insert_batch(cursor, sql: str, params: list) -> None:
    cursor.execute(sql, params)


def give_up(upload: CalibrationUpload) -> None:
    with transaction.atomic():
        refresh_locked(upload, "This file has been imported or given up already.")
        upload.delete()


def arrays(made: CalibrationImport) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The import's points, costs and group codes, as numpy arrays (one query)."""
    rows = list(
        made.packages.order_by("pk").values_list("points", "weekly_cost", "age_band", "client_group", "carer_present")
    )
    points = np.fromiter((r[0] for r in rows), dtype=float, count=len(rows))
    cost = np.fromiter((float(r[1]) for r in rows), dtype=float, count=len(rows))
    labels = {
        "age_band": np.asarray([r[2] for r in rows]),
        "client_group": np.asarray([r[3] for r in rows]),
        "carer_present": np.asarray(["yes" if r[4] else "no" for r in rows]),
    }
    return points, cost, labels


def fit(made: CalibrationImport, band_starts: Sequence[int] | None = None) -> fitting.Fit:
    points, cost, _labels = arrays(made)
    return fitting.fit(points, cost, band_starts)


def equity_report(made: CalibrationImport) -> equity.Report:
    points, cost, labels = arrays(made)
    return equity.report(points, cost, labels)


__all__ = ["ConflictError", "ImportRefused"]
