"""The search index: one document per published service.

On PostgreSQL the document's ``vector`` (a tsvector, GIN-indexed) holds
the words; on SQLite an FTS5 table ``search_fts`` (created by migration
0002 on SQLite only) holds them, its rowid the document's id. index.py
keeps both up to date from the directory's tables.
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

    def __str__(self) -> str:
        return self.name
