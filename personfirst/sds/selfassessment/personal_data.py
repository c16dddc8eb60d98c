"""The personal data self-assessments hold (see personfirst/core/privacy.py).

A self-assessment is part of a person's care record: its answers are exported
to the person whose record it is, with every change and who made it; the
reasons a practitioner gave are scrubbed of an erased person's names.
"""

from __future__ import annotations

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import AnswerChange, SelfAssessment

KEPT = Retention("As long as the person's record.")


def _export(user) -> dict:
    rows = SelfAssessment.objects.filter(person__user=user).order_by("pk")
    return {
        "your_self_assessments": [
            {
                "questionnaire": f"{s.questionnaire_key} version {s.questionnaire_version}",
                "status": s.get_status_display(),
                "started": s.created_at.isoformat(),
                "changes": [
                    {
                        "question": c.question,
                        "answer": c.answer,
                        "by": c.as_role,
                        "reason": c.reason,
                    }
                    for c in AnswerChange.objects.filter(self_assessment=s).order_by("pk")
                ],
            }
            for s in rows
        ],
        "answers_you_gave_or_changed_for_others": AnswerChange.objects.filter(by=user)
        .exclude(self_assessment__person__user=user)
        .count(),
    }


privacy.holds(
    "selfassessment.SelfAssessment",
    what="Self-assessments on a person's record, and who started, sent and agreed them.",
    fields=["person", "created_by", "submitted_by", "agreed_by"],
    keep=KEPT,
    export=_export,
)

privacy.holds(
    "selfassessment.AnswerChange",
    what="Each answer given or changed in a self-assessment, who gave it, and the reason for a change.",
    fields=["by", "reason"],
    keep=KEPT,
    mentions=["reason"],
)
