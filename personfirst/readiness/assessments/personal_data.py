"""The personal data readiness assessments hold (see personfirst/core/privacy.py).

Answers and respondents belong to the organisation's assessment: erasure keeps
them (so scores do not change), linked to the anonymised account, and removes
the person's names and addresses from the notes anyone wrote.
"""

from __future__ import annotations

from django.db.models import Q

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import Answer, Assessment, Respondent

KEPT = Retention("As long as the organisation's assessment (the organisation's record of its readiness).")


def _assessment(a: Assessment) -> dict:
    return {"organisation": a.organisation.name, "instrument": a.version.title, "started": a.started_at.isoformat()}


def _export_assessments(user) -> dict:
    rows = Assessment.objects.filter(Q(started_by=user) | Q(submitted_by=user)).select_related(
        "organisation", "version"
    )
    return {
        "assessments_started_or_submitted": [
            {
                **_assessment(a),
                "you_started_it": a.started_by_id == user.pk,
                "you_submitted_it": a.submitted_by_id == user.pk,
                "submitted": a.submitted_at.isoformat() if a.submitted_at else None,
            }
            for a in rows
        ]
    }


privacy.holds(
    "readiness.Assessment",
    what="Who started and submitted an organisation's assessment.",
    fields=["started_by", "submitted_by"],
    keep=KEPT,
    export=_export_assessments,
)

privacy.holds(
    "readiness.Respondent",
    what="The people asked for their own view of an assessment, and who asked them.",
    fields=["user", "added_by"],
    keep=KEPT,
    export=lambda user: {
        "assessments_you_gave_your_view_on": [
            {**_assessment(r.assessment), "perspective": r.get_perspective_display(), "added": r.added_at.isoformat()}
            for r in Respondent.objects.filter(user=user).select_related(
                "assessment__organisation", "assessment__version"
            )
        ]
    },
)


def _export_answers(user) -> dict:
    rows = (
        Answer.objects.filter(Q(updated_by=user) | Q(respondent__user=user))
        .select_related("assessment__organisation", "assessment__version", "item", "respondent")
        .order_by("assessment_id", "item__key")
    )
    return {
        "answers_you_wrote": [
            {
                **_assessment(a.assessment),
                "item": a.item.key,
                "answer": a.display(),
                "notes": a.notes,
                "target_dates": a.target_dates,
                "organisation_rating": a.we_option or None,
                "evidence": a.evidence,
                "achieved_on": a.achieved_on.isoformat() if a.achieved_on else None,
                "your_own_view": a.respondent is not None and a.respondent.user_id == user.pk,
                "updated": a.updated_at.isoformat(),
            }
            for a in rows
        ]
    }


privacy.holds(
    "readiness.Answer",
    what="Answers to assessments, with the notes written beside them.",
    fields=["notes", "evidence", "updated_by"],
    keep=KEPT,
    export=_export_answers,
    mentions=["notes", "evidence"],
)

for label in (
    "readiness.Item",
    "readiness.Section",
    "readiness.InstrumentVersion",
    "readiness.Instrument",
    "readiness.InstrumentTranslation",
):
    privacy.holds_none(label, "Instrument text, loaded from the instrument files.")
privacy.holds_none("readiness.CrosswalkLink", "Links between instruments' items, from the instrument files.")
