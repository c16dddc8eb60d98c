"""The personal data the directory holds (see personfirst/core/privacy.py).

Directory entries are about services, but a provider may name a person as a
contact, with a phone number, and a submission records who sent it and who
decided on it. Contacts naming a person are in their export; erasure removes
their names, addresses and phone numbers from every entry and submission.
"""

from __future__ import annotations

from django.db.models import Q

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import Contact, Decision, Phone, Provider, Service, Submission

LISTED = Retention("As long as the service is listed; a provider removes or changes a contact at any time.")
MODERATION = Retention("As long as the provider is in the directory (the record of what was decided and why).")


def _export_contacts(user) -> dict:
    needles = privacy.identities(user)
    named = Contact.objects.filter(
        privacy.mentioning(["name"], needles)
        | Q(phones__in=Phone.objects.filter(privacy.mentioning(["number"], needles)))
    ).distinct()
    return {
        "directory_contacts_naming_you": [
            {"service": c.service.name, "name": c.name, "title": c.title, "phones": [p.number for p in c.phones.all()]}
            for c in named.select_related("service").prefetch_related("phones")
        ]
    }


def _erase_addresses(user, identities: list[str]) -> None:
    addresses = [value for value in identities if "@" in value]
    for model, names in ((Provider, ["email"]), (Service, ["email", "assurer_email"])):
        for name in names:
            match = Q(pk__in=[])
            for address in addresses:
                match |= Q(**{f"{name}__iexact": address})
            model.objects.filter(match).update(**{name: ""})


privacy.holds(
    "directory.Contact",
    what="Contacts for a service: a name and a job title.",
    fields=["name", "title"],
    keep=LISTED,
    export=_export_contacts,
    mentions=["name", "title"],
)
privacy.holds(
    "directory.Phone",
    what="Contacts' phone numbers.",
    fields=["number"],
    keep=LISTED,
    mentions=["number", "description"],
)
privacy.holds(
    "directory.Service",
    what="A service's e-mail addresses (which may be a person's) and descriptions.",
    fields=["email", "assurer_email"],
    keep=LISTED,
    erase=_erase_addresses,
    mentions=["name", "description", "outcomes", "accreditations", "alert"],
)
privacy.holds(
    "directory.Provider",
    what="A provider's e-mail address (a sole trader's may be their own).",
    fields=["email"],
    keep=LISTED,
    mentions=["name", "description"],
)
privacy.holds(
    "directory.Address",
    what="Addresses may be for the attention of a person.",
    fields=["attention"],
    keep=LISTED,
    mentions=["attention"],
)


def _export_submissions(user) -> dict:
    return {
        "directory_entries_you_sent": [
            {
                "provider": s.provider.name,
                "sent": s.submitted_at.isoformat(),
                "status": s.get_status_display(),
                "entry": s.entry,
                "reasons": s.reasons,
            }
            for s in Submission.objects.filter(submitted_by=user).select_related("provider").order_by("submitted_at")
        ]
    }


privacy.holds(
    "directory.Submission",
    what="Directory entries sent for moderation (with their contacts), who sent them and who decided.",
    fields=["entry", "submitted_by", "decided_by", "reasons"],
    keep=MODERATION,
    export=_export_submissions,
    mentions=["entry", "reasons"],
)
privacy.holds(
    "directory.Decision",
    what="Moderators' decisions and their reasons.",
    fields=["decided_by", "reasons"],
    keep=MODERATION,
    export=lambda user: {
        "directory_decisions_you_made": [
            {
                "provider": d.submission.provider.name,
                "outcome": d.get_outcome_display(),
                "reasons": d.reasons,
                "at": d.decided_at.isoformat(),
            }
            for d in Decision.objects.filter(decided_by=user)
            .select_related("submission__provider")
            .order_by("decided_at")
        ]
    },
    mentions=["reasons"],
)

_ABOUT_SERVICES = "Describes a service, a place or a category, not a person."
for label in (
    "directory.Taxonomy",
    "directory.TaxonomyTerm",
    "directory.Location",
    "directory.Accessibility",
    "directory.ServiceArea",
    "directory.Schedule",
    "directory.Language",
    "directory.CostOption",
):
    privacy.holds_none(label, _ABOUT_SERVICES)
