"""The search index copies directory entries' text (see personfirst/core/privacy.py)."""

from __future__ import annotations

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from . import index
from .models import Document


def _reindex(user, identities: list[str]) -> None:
    # The directory's declarations have removed the person from the entries;
    # index those entries again (through the engine, which keeps its full-text table).
    index.refresh(
        Document.objects.filter(privacy.mentioning(["name", "body", "outcomes"], identities)).values_list(
            "service_id", flat=True
        )
    )


privacy.holds(
    "search.Document",
    what="A copy of each published service's text, for searching.",
    fields=["name", "body", "outcomes"],
    keep=Retention("As long as the service is published."),
    erase=_reindex,
    order=60,  # after the directory's entries are changed
)
