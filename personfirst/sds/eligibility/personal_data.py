"""The personal data eligibility decisions hold (see personfirst/core/privacy.py).

A decision is part of a person's care record: it is exported to the person
whose record it is (the account linked to it) and kept as long as the record;
an erased person's names are taken out of every decision's reasons.
"""

from __future__ import annotations

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import EligibilityDecision

privacy.holds(
    "eligibility.EligibilityDecision",
    what="Eligibility decisions on a person's record: the outcomes they cannot achieve, the decision, "
    "the practitioner's reasons and who decided.",
    fields=["person", "notes", "decided_by"],
    keep=Retention("As long as the person's record."),
    export=lambda user: {
        "eligibility_decisions_about_you": [
            {
                "kind": d.get_kind_display(),
                "outcomes_you_cannot_achieve": list(d.unable),
                "reasons": d.notes,
                "decided": d.decided_at.isoformat(),
            }
            for d in EligibilityDecision.objects.filter(person__user=user).order_by("pk")
        ],
        "eligibility_decisions_you_made": EligibilityDecision.objects.filter(decided_by=user).count(),
    },
    mentions=["notes"],
)
