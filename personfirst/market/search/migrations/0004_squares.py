"""SQLite: the FTS5 table gets a ``squares`` column (grid squares as words,
search/words.py), and is filled again from the documents and their places."""

from collections import defaultdict

from django.db import migrations

from personfirst.market.search.words import squares_of


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    Document = apps.get_model("search", "Document")
    Point = apps.get_model("search", "Point")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "name, body, outcomes, squares, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    points = defaultdict(list)
    for document_id, easting, northing in Point.objects.values_list("document_id", "easting", "northing"):
        points[document_id].append((easting, northing))
    rows = [
        (doc_id, name, body, outcomes, squares_of(points.get(doc_id, ())))
        for doc_id, name, body, outcomes in Document.objects.values_list("id", "name", "body", "outcomes")
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, name, body, outcomes, squares) VALUES (%s, %s, %s, %s, %s)", rows
        )


def back(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "name, body, outcomes, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facts_and_points")]

    operations = [migrations.RunPython(recreate, back)]
