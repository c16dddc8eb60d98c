"""Signals other apps listen to. `assessment_submitted` is sent, inside the
submitting transaction, with `assessment` and `by` (the person)."""

from django.dispatch import Signal

assessment_submitted = Signal()
