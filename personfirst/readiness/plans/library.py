"""Reading the action library for an instrument version (loaded from
<instrument>.actions.yaml beside the instrument file)."""

from __future__ import annotations

from personfirst.readiness.assessments.models import InstrumentVersion

from .models import Suggestion


def suggestions_for(version: InstrumentVersion, item_key: str, chosen) -> list[Suggestion]:
    """The library's suggestions for an item answered with ``chosen`` (a
    level or an option key), in the library's order."""
    return [s for s in Suggestion.objects.filter(version=version, item_key=item_key) if s.applies(chosen)]


class Library:
    """The whole library of an instrument version, read in one query: for
    drafting a plan, which asks about every item in turn."""

    def __init__(self, version: InstrumentVersion) -> None:
        self.by_item: dict[str, list[Suggestion]] = {}
        for suggestion in Suggestion.objects.filter(version=version):  # in the library's order
            self.by_item.setdefault(suggestion.item_key, []).append(suggestion)

    def suggestions_for(self, item_key: str, chosen) -> list[Suggestion]:
        """As suggestions_for() above, without a query."""
        return [s for s in self.by_item.get(item_key, []) if s.applies(chosen)]
