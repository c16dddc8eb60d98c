"""The ``milestones`` item type (readiness only): a ladder whose answer also
sets a target date for each level above the one reached. Scored as a
ladder; the target dates become actions in the plan (plans.services.draft_plan).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django import forms

from personfirst.core.definitions.items import ItemDefinition, iso_date, register
from personfirst.core.definitions.ladder import Ladder
from personfirst.core.validation import Collector

# A level as a target-date key: "2", "10"; no sign, no leading zero, no other script's digits.
LEVEL_KEY = re.compile(r"[1-9][0-9]{0,2}", re.ASCII)


def target_date_message(level: int | str) -> str:
    return f"Enter the target date for step {level} as a real date, like 2027-03-31"


@register
class Milestones(Ladder):
    name = "milestones"
    answer_fields = ("level", "target_dates")

    def target_levels(self, item: ItemDefinition) -> range:
        """The levels a target date can be set for: every one but the first."""
        return range(2, len(item.levels) + 1)

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        cleaned = super().clean_answer(item, given, problems)
        dates = given.get("target_dates") or {}
        if not isinstance(dates, Mapping):
            problems.add("target_dates", "Target dates must be given as level: date pairs.")
            return cleaned
        targets = self.target_levels(item)
        found: dict[str, str] = {}
        for level, date in dates.items():
            # Only ASCII digits write a level: "²".isdigit() is true, and int("٣") is 3.
            if not isinstance(level, str) or not LEVEL_KEY.fullmatch(level) or int(level) not in targets:
                problems.add(
                    "target_dates",
                    f"Target dates are for levels {targets.start} to {targets.stop - 1}, written with the digits "
                    f"0 to 9; {level!r} is not one.",
                )
                continue
            if date is None or date == "":
                continue
            when = iso_date(date)
            if when is None:
                problems.add(("target_dates", level), target_date_message(level))
                continue
            found[level] = when.isoformat()
        cleaned["target_dates"] = dict(sorted(found.items(), key=lambda pair: int(pair[0])))
        return cleaned

    # -- The section page: a date for each level above the first

    def field_name(self, item: ItemDefinition, path: tuple[str, ...] = ()) -> str:
        if path[:1] == ("target_dates",) and len(path) == 2:
            return f"target-{item.key}-{path[1]}"
        return super().field_name(item, path)

    def own_form_fields(self, item: ItemDefinition) -> dict[str, forms.Field]:
        return {
            self.field_name(item, ("target_dates", str(level))): forms.DateField(
                label=f"Target date for step {level}",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": target_date_message(level)},
            )
            for level in self.target_levels(item)
        }

    def form_initial(self, item: ItemDefinition, stored: Mapping[str, Any]) -> dict[str, Any]:
        initial = super().form_initial(item, stored)
        for level, date in (stored.get("target_dates") or {}).items():
            initial[self.field_name(item, ("target_dates", str(level)))] = date
        return initial

    def form_values(self, item: ItemDefinition, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        values = super().form_values(item, cleaned)
        dates = {}
        for level in self.target_levels(item):
            date = cleaned.get(self.field_name(item, ("target_dates", str(level))))
            if isinstance(date, datetime.date):
                dates[str(level)] = date.isoformat()
        if dates:
            values["target_dates"] = dates
        return values
