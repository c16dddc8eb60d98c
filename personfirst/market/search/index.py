"""Keeping the search index up to date with the directory.

``refresh(ids)`` rebuilds the documents of those services (and drops the
documents of services that are gone or no longer running), in a fixed
number of queries per batch. The directory sends ``services_written``
after every publish and import; this module listens (apps.py).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from personfirst.market.directory.models import Attribute, Service, ServiceAtLocation, ServiceStatus

from . import words
from .models import Document, Point

FACTS = ["theme_bits", "lowest_price", "personal_budget", "accredited", "personal_assistant"]

BATCH = 2_000


def on_services_written(sender, service_ids, **kwargs) -> None:
    refresh(service_ids)


def _texts(services: list[Service]) -> dict:
    terms: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, name in Attribute.objects.filter(service__in=services).values_list("service_id", "term__name"):
        terms[service_id].append(name)
    texts = {}
    for service in services:
        body = [
            service.description,
            service.provider.name,
            " ".join(service.theme_labels()),
            " ".join(terms.get(service.pk, [])),
            "personal assistant" if service.personal_assistant else "",
        ]
        texts[service.pk] = (service.name, "\n".join(part for part in body if part), service.outcomes)
    return texts


@transaction.atomic
def refresh(service_ids: Iterable) -> int:
    ids = list(service_ids)
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _refresh_batch(ids[start : start + BATCH])
    return written


def _refresh_batch(ids: list) -> int:
    services = list(Service.objects.filter(pk__in=ids, status=ServiceStatus.ACTIVE).select_related("provider"))
    texts = _texts(services)
    existing = dict(Document.objects.filter(service_id__in=ids).values_list("service_id", "id"))
    gone = [doc_id for service_id, doc_id in existing.items() if service_id not in texts]
    if gone:
        _fts_delete(gone)
        Document.objects.filter(pk__in=gone).delete()
    by_id = {service.pk: service for service in services}
    documents = [
        Document(
            id=existing.get(service_id),
            service_id=service_id,
            name=name,
            body=body,
            outcomes=outcomes,
            **{fact: getattr(by_id[service_id], fact) for fact in FACTS},
        )
        for service_id, (name, body, outcomes) in texts.items()
    ]
    new = [doc for doc in documents if doc.id is None]
    old = [doc for doc in documents if doc.id is not None]
    if old:
        Document.objects.bulk_update(old, ["name", "body", "outcomes", *FACTS])
    if new:
        Document.objects.bulk_create(new)
        if any(doc.id is None for doc in new):
            found = dict(
                Document.objects.filter(service_id__in=[d.service_id for d in new]).values_list("service_id", "id")
            )
            for doc in new:
                doc.id = found[doc.service_id]
    points = _points(documents)
    if connection.vendor == "postgresql":
        Document.objects.filter(service_id__in=list(texts)).update(
            vector=SearchVector("name", weight="A", config="english")
            + SearchVector("outcomes", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
    else:
        _fts_delete([doc.id for doc in old])
        _fts_insert(documents, points)
    return len(documents)


def _points(documents: list[Document]) -> dict[int, list[tuple[int, int]]]:
    """Each document's places on the grid, again. Returns them by document id."""
    doc_of = {doc.service_id: doc.id for doc in documents}
    Point.objects.filter(document_id__in=list(doc_of.values())).delete()
    places = ServiceAtLocation.objects.filter(service_id__in=list(doc_of), location__easting__isnull=False)
    points = [
        Point(document_id=doc_of[service_id], easting=easting, northing=northing)
        for service_id, easting, northing in places.values_list("service_id", "location__easting", "location__northing")
    ]
    Point.objects.bulk_create(points, batch_size=5_000)
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for point in points:
        found[point.document_id].append((point.easting, point.northing))
    return found


def _fts_delete(doc_ids: list[int]) -> None:
    if connection.vendor != "sqlite" or not doc_ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(doc_ids), 900):
            chunk = doc_ids[start : start + 900]
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({','.join('%s' for _ in chunk)})", chunk)  # noqa: S608


def _fts_insert(documents: list[Document], points: dict[int, list[tuple[int, int]]]) -> None:
    if not documents:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, name, body, outcomes, squares) VALUES (%s, %s, %s, %s, %s)",
            [(doc.id, doc.name, doc.body, doc.outcomes, words.squares_of(points.get(doc.id, ()))) for doc in documents],
        )


def rebuild() -> int:
    """Everything again (``manage.py rebuild_search_index``)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    Point.objects.all().delete()
    Document.objects.all().delete()
    return refresh(Service.objects.values_list("pk", flat=True))
