"""A submitted health check of Eastmere Carers' Centre to report on.

``reported`` answers it (with notes), asks two people for their own answers
that are three levels apart on one question, submits it on 4 March 2026,
and gives it a plan: actions that belong in the report, and ones that do
not (suggested, dropped, or another assessment's).

Shown scores (docs/scoring.md): values and culture 50.0, trustee board
33.3, staff and volunteers 66.7, people you support 33.3, managing change
100.0, costs and prices 0.0; marketing not relevant, the rest unanswered;
overall 283⅓ ÷ 6 = 47.2. Direct payment support is left out.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from personfirst.readiness.assessments.tests.conftest import answer, assessment, health_check, instruments  # noqa: F401 (fixtures)

LONDON = ZoneInfo("Europe/London")
SUBMITTED_AT = datetime.datetime(2026, 3, 4, 11, 30, tzinfo=LONDON)
FILENAME = "eastmere-carers-centre-health-check-2026-03-04"

LEVELS = {
    "values-and-culture": 2,  # of 3: 50.0
    "trustee-board": 2,  # of 4: 33.3
    "staff-and-volunteers": 3,  # of 4: 66.7
    "people-you-support": 2,  # of 4: 33.3
    "managing-change": 3,  # of 3: 100.0
    "costs-and-prices": 1,  # of 4: 0.0
}
NOTES = {
    "trustee-board": "The board has not discussed personal budgets yet.\nWendy thinks it has; Milo does not.",
    "managing-change": "We changed our opening hours after asking carers — ŵ and é are fine.",
}
OVERALL = "47.2"
SECTION_SCORES = {
    "values-and-culture": "50.0",
    "trustee-board": "33.3",
    "staff-and-volunteers": "66.7",
    "people-you-support": "33.3",
    "managing-change": "100.0",
    "costs-and-prices": "0.0",
}


def submit_on(draft, when, by):
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Assessment

    services.submit(assessment=draft, by=by)
    Assessment.objects.filter(pk=draft.pk).update(submitted_at=when)
    return Assessment.objects.select_related("organisation", "version__instrument").get(pk=draft.pk)


@pytest.fixture
def reported(world, assessment, answer):  # noqa: F811 (fixtures)
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Perspective
    from personfirst.readiness.plans.models import Action, ActionStatus

    for key, level in LEVELS.items():
        answer(assessment, key, by=world.admin, level=level, notes=NOTES.get(key, ""))
    answer(assessment, "marketing", by=world.worker, not_relevant=True)
    trustee = services.add_respondent(
        assessment=assessment, user=world.member, perspective=Perspective.TRUSTEE, by=world.admin
    )
    worker = services.add_respondent(
        assessment=assessment, user=world.worker, perspective=Perspective.DEVELOPMENT_WORKER, by=world.admin
    )
    answer(assessment, "trustee-board", by=world.member, respondent=trustee, level=1)
    answer(assessment, "trustee-board", by=world.worker, respondent=worker, level=4)
    # One level apart: not flagged.
    answer(assessment, "values-and-culture", by=world.member, respondent=trustee, level=2)
    answer(assessment, "values-and-culture", by=world.worker, respondent=worker, level=3)
    submitted = submit_on(assessment, SUBMITTED_AT, world.admin)

    def action(title, status, **more):
        defaults = {"why": "", "owner": "", "due_date": None, "position": Action.objects.count() + 100}
        return Action.objects.create(
            organisation=world.org, assessment=submitted, title=title, status=status, **{**defaults, **more}
        )

    in_plan = [
        action(
            "Hold a trustee session on personal budgets",
            ActionStatus.NOT_STARTED,
            why="Backing from the trustee board: you are at statement 2 of 4 and aim for statement 3.",
            owner="Asha Admin",
            due_date=datetime.date(2026, 5, 1),
        ),
        action(
            "Ask carers what flexible support they want",
            ActionStatus.IN_PROGRESS,
            why="Involving the people you support.",
            owner="Milo Member",
            due_date=datetime.date(2026, 6, 30),
        ),
        action("Write down our unit costs", ActionStatus.DONE, owner="Café Ŵelsh team"),
    ]
    left_out = [
        action("A suggestion nobody has accepted", ActionStatus.SUGGESTED, owner="Nobody"),
        action("An action the centre dropped", ActionStatus.DROPPED, owner="Nobody"),
    ]
    # Draft_plan (run on submission) may have suggested some: none is accepted.
    assert not Action.objects.filter(assessment=submitted, status__in=["not_started", "in_progress", "done"]).exclude(
        pk__in=[a.pk for a in in_plan]
    )
    return SimpleNamespace(
        assessment=submitted, in_plan=in_plan, left_out=left_out, trustee=trustee, worker_respondent=worker
    )


# --- Reading the web page -------------------------------------------------------


class _Tables(HTMLParser):
    """Every table with an id: its body rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._in_body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag == "tbody" and self._table:
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def words(text: str) -> str:
    """Text with every run of white space made one space (for text pulled out of files)."""
    return " ".join(text.split())
