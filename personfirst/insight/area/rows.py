"""Rows of one model written straight to the database, many at a time
(publish.py stores a snapshot's pieces with it; the demo's generator,
personfirst/demo/synthetic.py, its synthetic assessments)."""

from __future__ import annotations

from datetime import datetime

from django.db import connection


class Rows:
    """Rows of one model written straight to the database, many at a time:
    COPY on PostgreSQL, executemany on SQLite. Columns the caller does not
    give get the field's default (made ready for the database once), so a
    column someone adds later with a default is still filled in."""

    def __init__(self, model, given: list[str], now: datetime, *, flush_every: int | None = None) -> None:
        self.model = model
        self.flush_every = flush_every
        fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
        self.columns = [f.column for f in fields]
        self.slots: list[tuple[bool, object]] = []  # (given?, index into the given values or the constant)
        for f in fields:
            if f.attname in given:
                self.slots.append((True, given.index(f.attname)))
            else:
                value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
                self.slots.append((False, f.get_db_prep_save(value, connection)))
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        self.rows.append(tuple(values[i] if given else i for given, i in self.slots))
        if self.flush_every and len(self.rows) >= self.flush_every:
            self.write()

    def write(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self.rows)  # noqa: S608
        self.rows = []
