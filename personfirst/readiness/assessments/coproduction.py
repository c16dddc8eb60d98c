"""Comparing respondents' own answers (co-production).

For every item, the spread of answers across respondents, and a flag where
two respondents are two or more levels apart. Levels are positions on the
item's scale (ItemType.position): for a rating item, its options ordered by
score, the lowest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Answer, Assessment, Item, Respondent, Section

FLAG_DISTANCE = 2


@dataclass
class ItemSpread:
    item: Item
    rows: list[tuple[Respondent, Answer | None]]
    agreed: Answer | None
    distance: int | None
    flag: str | None


def position(item: Item, answer: Answer | None) -> int | None:
    """The answer's place on the item's scale (1 the lowest), or None: the
    one definition of a position, the item type's (a rating's options by
    score, whatever order the file lists them in)."""
    if answer is None:
        return None
    return item.kind.position(item.definition, answer.response)


def spread_for(item: Item, rows: list[tuple[Respondent, Answer | None]], agreed: Answer | None) -> ItemSpread:
    placed = [(respondent, position(item, answer)) for respondent, answer in rows]
    placed = [(r, p) for r, p in placed if p is not None]
    if len(placed) < 2:
        return ItemSpread(item, rows, agreed, None, None)
    low = min(placed, key=lambda rp: rp[1])
    high = max(placed, key=lambda rp: rp[1])
    distance = high[1] - low[1]
    flag = None
    if distance >= FLAG_DISTANCE:
        low_view, high_view = low[0].get_perspective_display(), high[0].get_perspective_display()
        if low_view == high_view:
            flag = f"{low_view} answers are {distance} levels apart"
        else:
            flag = f"{high_view} and {low_view.lower()} see this differently ({distance} levels apart)"
    return ItemSpread(item, rows, agreed, distance, flag)


def spreads(assessment: Assessment, sections: list[Section]) -> list[tuple[Section, list[ItemSpread]]]:
    respondents = list(assessment.respondents.select_related("user"))
    answers = Answer.objects.filter(assessment=assessment).select_related("item")
    own = {(a.respondent_id, a.item_id): a for a in answers if a.respondent_id}
    # An unconfirmed suggestion (answer once) is not yet an agreed answer.
    agreed = {a.item_id: a for a in answers.that_count()}
    result = []
    for section in sections:
        item_spreads = []
        for item in section.items.all():
            rows = [(r, own.get((r.pk, item.pk))) for r in respondents]
            item_spreads.append(spread_for(item, rows, agreed.get(item.pk)))
        result.append((section, item_spreads))
    return result
