"""Calibration imports: costed historic packages a council administrator
imported to fit (and check the fairness of) the RAS.

A package row is pseudonymous: no name, no record, only points, a weekly
cost, an age band, a client group and whether a carer was present
(personal_data.py declares it). An import is all or nothing: its packages
are written in the one transaction that makes it (services.confirm).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .groups import AGE_BANDS, CLIENT_GROUPS


class CalibrationUpload(models.Model):
    """A file that was checked and waits for the person who uploaded it to
    import its good rows or give it up. Deleted when they decide."""

    council_area = models.ForeignKey("organisations.CouncilArea", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=200)
    content = models.TextField()
    good_rows = models.PositiveIntegerField()
    bad_rows = models.PositiveIntegerField()
    refused = models.BooleanField(default=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Checked file {self.file_name}"


class CalibrationImport(models.Model):
    council_area = models.ForeignKey(
        "organisations.CouncilArea", on_delete=models.PROTECT, related_name="calibration_imports"
    )
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField()
    bad_rows_left_out = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"Calibration import {self.pk} ({self.file_name})"


class CalibrationPackage(models.Model):
    calibration_import = models.ForeignKey(CalibrationImport, on_delete=models.CASCADE, related_name="packages")
    line = models.PositiveIntegerField()  # its line in the file
    points = models.PositiveIntegerField()
    domain_points = models.JSONField(default=dict, blank=True)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2)
    age_band = models.CharField(max_length=10, choices=list(AGE_BANDS.items()))
    client_group = models.CharField(max_length=30, choices=list(CLIENT_GROUPS.items()))
    carer_present = models.BooleanField()

    class Meta:
        ordering = ["calibration_import", "line"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekly_cost__gte=0), name="calibration_cost_not_negative")
        ]

    def __str__(self) -> str:
        return f"Package on line {self.line} of import {self.calibration_import_id}"
