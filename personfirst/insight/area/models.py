"""The figures area insight counts, kept ready so that a page over many
thousands of organisations is one indexed aggregate (docs/insight.md).

Everything here is derived from submitted assessments and can be made again
with ``manage.py rebuild_insight``. Nothing here is shown on its own: the
pages only ever show counts over whole groups of organisations
(access/disclosure.py, insight/publish.py).

- ``Submission``: one row per submitted assessment, with the organisation's
  council area, type and size band as they were when it was submitted, the
  quarter it was submitted in, and the quarter of the organisation's next
  submission of the same instrument (empty for its latest).
- ``Value``: one row per section score and per answered question of each
  submitted assessment, with the same details copied onto it.
- ``NationalCell`` and ``NationalValue``: the same counted once for the whole
  of England, by type, size band, quarter and quarter of the next
  submission (kept in step on every submission; the pages no longer read
  them).
- ``Snapshot``, ``PieceCount`` and ``PieceValue``: what has been published.
  Pages show only these, never the rows above: figures change only when a
  snapshot is published (insight/publish.py, docs/insight.md).

Which submissions a figure counts: each organisation's latest (its next
submission's quarter is empty), or, for a period, each organisation's last
one in the period (submitted in it, and not replaced before it ended). A
submission replaced within its own quarter is never counted.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    SECTION = "s", "Section score"
    ITEM = "i", "Question"


SHARING_HELP = (
    "The support and development organisations it shared its records with when it was submitted: "
    "their ids, in order, joined with commas"
)


class Submission(models.Model):
    assessment = models.OneToOneField(
        "readiness.Assessment", on_delete=models.CASCADE, primary_key=True, related_name="insight"
    )
    # The indexes below start with these columns, so they need none of their own.
    instrument = models.ForeignKey("readiness.Instrument", on_delete=models.CASCADE, related_name="+", db_index=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    council_area = models.ForeignKey(
        "organisations.CouncilArea", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_type = models.CharField(max_length=32)
    size_band = models.CharField(max_length=12)
    sharing = models.CharField(max_length=200, blank=True, default="", help_text=SHARING_HELP)
    submitted_at = models.DateTimeField()
    quarter = models.PositiveIntegerField(help_text="insight.quarters: year × 4 + quarter − 1, in UK time")
    superseded_quarter = models.PositiveIntegerField(
        null=True, blank=True, help_text="The quarter of the organisation's next submission; empty for its latest"
    )
    overall = models.FloatField(null=True, blank=True, help_text="The overall score, for averages over time")

    class Meta:
        indexes = [
            # An area's groups and trend (insight.sources): covering, so the index alone answers.
            models.Index(
                fields=[
                    "instrument",
                    "council_area",
                    "org_type",
                    "size_band",
                    "quarter",
                    "superseded_quarter",
                    "overall",
                ],
                name="insight_sub_area",
            ),
            models.Index(fields=["organisation", "instrument", "submitted_at"], name="insight_sub_chain"),
        ]

    def __str__(self) -> str:
        return f"Submission {self.assessment_id}"

    @property
    def is_latest(self) -> bool:
        return self.superseded_quarter is None


# Grouped by first, then filtered by, so that the GROUP BY follows the index.
VALUE_FIELDS = ["kind", "key", "value", "scale", "org_type", "size_band"]


class Value(models.Model):
    """A section's score (kind "s"): exactly ``value / scale`` (a fraction in
    lowest terms, from 0 to 100). Or a question's answer (kind "i"): its
    position ``value`` on a scale of ``scale`` positions, 1 the lowest
    (readiness.coproduction.position). Questions marked not relevant, or not
    answered, and sections with no score have no row."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    # Copied from the submission, so that one index answers an area's query
    # (a development worker's goes through the submission's organisation).
    instrument = models.ForeignKey("readiness.Instrument", on_delete=models.CASCADE, related_name="+", db_index=False)
    council_area = models.ForeignKey(
        "organisations.CouncilArea", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_type = models.CharField(max_length=32)
    size_band = models.CharField(max_length=12)
    sharing = models.CharField(max_length=200, blank=True, default="", help_text=SHARING_HELP)
    quarter = models.PositiveIntegerField()
    superseded_quarter = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    key = models.CharField(max_length=80)
    value = models.PositiveIntegerField()
    scale = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Each organisation's latest (superseded_quarter IS NULL) in an area.
            models.Index(
                fields=["instrument", "council_area", "superseded_quarter", *VALUE_FIELDS], name="insight_value_latest"
            ),
            # Each organisation's last in a period, in an area.
            models.Index(
                fields=["instrument", "council_area", "quarter", "superseded_quarter", *VALUE_FIELDS],
                name="insight_value_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.value}/{self.scale}"


class NationalCell(models.Model):
    """Submissions in England with the same type, size band, quarter and
    quarter of the next submission (empty: the latest). Submissions replaced
    within their own quarter are not counted."""

    instrument = models.ForeignKey("readiness.Instrument", on_delete=models.CASCADE, related_name="+", db_index=False)
    org_type = models.CharField(max_length=32)
    size_band = models.CharField(max_length=12)
    quarter = models.PositiveIntegerField()
    superseded_quarter = models.PositiveIntegerField(null=True, blank=True)
    organisations = models.PositiveIntegerField()
    scored = models.PositiveIntegerField(help_text="How many of them have an overall score")
    overall_total = models.FloatField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=[
                    "instrument",
                    "org_type",
                    "size_band",
                    "quarter",
                    "superseded_quarter",
                    "organisations",
                    "scored",
                    "overall_total",
                ],
                name="insight_ncell",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.org_type}/{self.size_band}/{self.quarter}: {self.organisations}"


class NationalValue(models.Model):
    """Counted submissions in England with the same type, size band, quarter
    and quarter of the next submission that share one Value (kind, key,
    value, scale)."""

    instrument = models.ForeignKey("readiness.Instrument", on_delete=models.CASCADE, related_name="+", db_index=False)
    org_type = models.CharField(max_length=32)
    size_band = models.CharField(max_length=12)
    quarter = models.PositiveIntegerField()
    superseded_quarter = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    key = models.CharField(max_length=80)
    value = models.PositiveIntegerField()
    scale = models.PositiveIntegerField()
    organisations = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["instrument", "superseded_quarter", *VALUE_FIELDS, "organisations"],
                name="insight_nvalue_latest",
            ),
            models.Index(
                fields=["instrument", "quarter", "superseded_quarter", *VALUE_FIELDS, "organisations"],
                name="insight_nvalue_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.value}/{self.scale} × {self.organisations}"


class Snapshot(models.Model):
    """Figures published as at the end of one quarter, for one instrument:
    what every page shows until the next is published. ``plan`` holds, for
    each council area, the disclosure engine's plan (access.disclosure.
    RegionPlan: groups, periods, and for each measure its measure groups,
    the quarter each one's latest figures are as at and the periods shown),
    and, for England and for each support and development organisation,
    the cells of each piece (``shapes``). Never changed once made."""

    instrument = models.ForeignKey("readiness.Instrument", on_delete=models.CASCADE, related_name="+")
    quarter = models.PositiveIntegerField(help_text="As at the end of this quarter (insight.quarters)")
    made_at = models.DateTimeField()
    plan = models.JSONField()

    class Meta:
        ordering = ["instrument", "quarter"]
        constraints = [models.UniqueConstraint(fields=["instrument", "quarter"], name="insight_snapshot_once")]

    def __str__(self) -> str:
        return f"Snapshot of {self.instrument_id} as at {self.quarter}"


# Which scope a piece belongs to: "E" (England), "A<area id>", "S<support organisation id>".
PIECE_FIELDS = ["snapshot", "scope", "latest", "first", "last"]


class PieceCount(models.Model):
    """Organisations in one published piece in one slice of time: for the
    measure "organisations", how many; for "overall", how many have an
    overall score and their total (for the trend's averages)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    scope = models.CharField(max_length=24)
    measure = models.CharField(max_length=80)
    piece = models.PositiveIntegerField()
    latest = models.BooleanField(help_text="Each organisation's latest (first = last = the quarter); else a period")
    first = models.PositiveIntegerField()
    last = models.PositiveIntegerField()
    organisations = models.PositiveIntegerField()
    scored = models.PositiveIntegerField(default=0)
    overall_total = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "scope", "measure", "piece"], name="insight_pc_scope")]

    def __str__(self) -> str:
        return f"{self.scope} {self.measure} {self.piece}: {self.organisations}"


class PieceValue(models.Model):
    """Organisations in one published piece in one slice of time with one
    section score or one answer (as Value), for the measure of the section
    (a question's measure is its section's)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    scope = models.CharField(max_length=24)
    measure = models.CharField(max_length=80)
    piece = models.PositiveIntegerField()
    latest = models.BooleanField()
    first = models.PositiveIntegerField()
    last = models.PositiveIntegerField()
    kind = models.CharField(max_length=1, choices=Kind.choices)
    key = models.CharField(max_length=80)
    value = models.PositiveIntegerField()
    scale = models.PositiveIntegerField()
    organisations = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # A page's figures: one scope and slice of one snapshot, some pieces; covering.
            models.Index(
                fields=[
                    *PIECE_FIELDS,
                    "measure",
                    "piece",
                    "kind",
                    "key",
                    "value",
                    "scale",
                    "organisations",
                ],
                name="insight_pv_slice",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.value}/{self.scale} × {self.organisations}"
