"""The search index: one document per running service, and its places.

A document holds the service's words and the facts search filters on
(copied from the service when it is written), so that a search reads only
these two tables, with integer keys, and the directory's tables only for
the page of results it shows. On PostgreSQL the document's ``vector`` (a
tsvector, GIN-indexed) holds the words; on SQLite an FTS5 table
``search_fts`` (created by migration 0002 on SQLite only) holds them, its
rowid the document's id. ``Point`` is each place of the service on the
British National Grid, indexed (easting, northing, document) so that a
radius search reads the index alone. index.py keeps them up to date.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Document(models.Model):
    service = models.OneToOneField("directory.Service", on_delete=models.CASCADE, related_name="search_document")
    name = models.TextField()
    body = models.TextField(blank=True, help_text="Description, provider, themes, who it is for, categories")
    outcomes = models.TextField(blank=True)
    vector = SearchVectorField(null=True)
    theme_bits = models.PositiveIntegerField(default=0)
    lowest_price = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    personal_budget = models.BooleanField(default=False)
    accredited = models.BooleanField(default=False)
    personal_assistant = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class Point(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="points")
    easting = models.IntegerField()
    northing = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["easting", "northing", "document"], name="search_point_grid")]

    def __str__(self) -> str:
        return f"{self.easting}, {self.northing}"
