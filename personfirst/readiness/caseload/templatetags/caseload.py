from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from personfirst.readiness.caseload.workers import worker_organisation

register = template.Library()


@register.simple_tag
def started_by(assessment) -> str:
    """Who started the assessment, and when: for example, "Started by Dana
    Patel, development worker at Eastmere Voluntary Action, on 3 March 2026."
    The organisation's own people are named without a role."""
    when = date_format(timezone.localtime(assessment.started_at), "j F Y")
    person = assessment.started_by
    if person is None:
        return f"Started on {when}."
    support = worker_organisation(person, assessment.organisation)
    if support is None:
        return f"Started by {person.display_name} on {when}."
    return f"Started by {person.display_name}, development worker at {support.name}, on {when}."
