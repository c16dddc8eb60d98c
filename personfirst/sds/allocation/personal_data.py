"""The personal data the resource allocation system holds (see personfirst/core/privacy.py).

An indicative budget is part of a person's care record and is exported to
that person with its breakdown. A RAS version's file is the council's, not a
person's: only who loaded it is personal, and it is kept for as long as any
budget it made (to explain that budget).
"""

from __future__ import annotations

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import IndicativeBudget

privacy.holds(
    "allocation.IndicativeBudget",
    what="Indicative personal budgets worked out for a person, with their breakdown and who made them.",
    fields=["person", "made_by"],
    keep=Retention("As long as the person's record."),
    export=lambda user: {
        "your_indicative_budgets": [
            {
                "points": b.points,
                "weekly": str(b.weekly) if b.weekly is not None else None,
                "yearly": str(b.yearly) if b.yearly is not None else None,
                "goes_to_a_panel": b.to_panel,
                "made": b.made_at.isoformat(),
                "breakdown": b.breakdown,
            }
            for b in IndicativeBudget.objects.filter(person__user=user).order_by("pk")
        ]
    },
)

privacy.holds(
    "allocation.RasVersion",
    what="Which account loaded each version of the resource allocation system.",
    fields=["loaded_by"],
    keep=Retention("As long as any budget the version made."),
)
