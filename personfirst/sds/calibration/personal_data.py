"""The personal data calibration holds (see personfirst/core/privacy.py).

A costed package is pseudonymous: it holds no name and no link to a
person's record, only points, a weekly cost, an age band, a client group and
whether a carer was present. It is still data about a person (the council
could link it back), so it is declared here and kept only as long as the
council needs the import.
"""

from __future__ import annotations

from datetime import timedelta

from personfirst.core import privacy
from personfirst.core.privacy import Retention

from .models import CalibrationUpload

privacy.holds(
    "calibration.CalibrationPackage",
    what="Pseudonymous costed packages (points, weekly cost, age band, client group, carer present) "
    "imported by a council to calibrate its RAS.",
    fields=["points", "domain_points", "weekly_cost", "age_band", "client_group", "carer_present"],
    keep=Retention("As long as the import it belongs to."),
)
privacy.holds(
    "calibration.CalibrationImport",
    what="Which account imported each calibration file.",
    fields=["imported_by"],
    keep=Retention("As long as the import."),
)
privacy.holds(
    "calibration.CalibrationUpload",
    what="A checked calibration file waiting for the person who uploaded it to import it or give it up.",
    fields=["uploaded_by", "content"],
    keep=Retention(
        "Until they import it or give it up, and at most a day.",
        period=timedelta(days=1),
        expired=lambda cutoff: CalibrationUpload.objects.filter(uploaded_at__lt=cutoff),
    ),
)
