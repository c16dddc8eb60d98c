"""Reading the action library for an instrument version (loaded from
<instrument>.actions.yaml beside the instrument file)."""

from __future__ import annotations

from personfirst.readiness.assessments.models import InstrumentVersion

from .models import Suggestion


def suggestions_for(version: InstrumentVersion, item_key: str, chosen) -> list[Suggestion]:
    """The library's suggestions for an item answered with ``chosen`` (a
    level or an option key), in the library's order."""
    return [s for s in Suggestion.objects.filter(version=version, item_key=item_key) if s.applies(chosen)]
