"""The personal data action plans hold (see personfirst/core/privacy.py).

An action's owner is written as free text (a name, usually), so an erased
person's names are removed from every action and progress note, whoever wrote it.
"""

from __future__ import annotations

from django.db.models import Q

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import Action, ProgressNote, Target

KEPT = Retention("As long as the organisation's action plan.")


def _owned(user) -> Q:
    names = Q(pk__in=[])
    for name in {user.full_name, user.email} - {""}:
        names |= Q(owner__iexact=name)
    return names


def _export_actions(user) -> dict:
    rows = Action.objects.filter(_owned(user) | Q(created_by=user)).select_related("organisation").order_by("pk")
    return {
        "actions_you_own_or_wrote": [
            {
                "organisation": a.organisation.name,
                "what": a.title,
                "why": a.why,
                "detail": a.detail,
                "owner": a.owner,
                "due": a.due_date.isoformat() if a.due_date else None,
                "status": a.get_status_display(),
                "you_wrote_it": a.created_by_id == user.pk,
            }
            for a in rows
        ]
    }


privacy.holds(
    "plans.Action",
    what="Actions in an organisation's plan: what, why, who owns it (a name as typed) and who wrote it.",
    fields=["title", "why", "detail", "owner", "created_by"],
    keep=KEPT,
    export=_export_actions,
    mentions=["owner", "title", "why", "detail"],
)

privacy.holds(
    "plans.ProgressNote",
    what="Progress notes on actions, and who wrote them.",
    fields=["text", "written_by"],
    keep=KEPT,
    export=lambda user: {
        "progress_notes_you_wrote": [
            {
                "organisation": n.action.organisation.name,
                "action": n.action.title,
                "note": n.text,
                "written": n.written_at.isoformat(),
            }
            for n in ProgressNote.objects.filter(written_by=user)
            .select_related("action__organisation")
            .order_by("written_at")
        ]
    },
    mentions=["text"],
)

privacy.holds(
    "plans.Target",
    what="Who set a target level for an item.",
    fields=["set_by"],
    keep=KEPT,
    export=lambda user: {
        "targets_you_set": [
            {"organisation": t.organisation.name, "instrument": t.instrument_key, "item": t.item_key, "level": t.level}
            for t in Target.objects.filter(set_by=user).select_related("organisation")
        ]
    },
)

privacy.holds_none("plans.Suggestion", "The action library's suggestions, loaded from files.")
