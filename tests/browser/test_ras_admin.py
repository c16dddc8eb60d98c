"""A council administrator uploads a new RAS version, reads its impact and
publishes it, in a real browser with axe on every page; the pages reflow at
320 pixels wide."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from personfirst.core.people.models import Person
from personfirst.sds.allocation import ras_file
from personfirst.sds.allocation import services as allocation
from personfirst.sds.allocation.models import IndicativeBudget, RasVersion
from personfirst.sds.selfassessment import questionnaire
from personfirst.sds.selfassessment.models import AnswerChange, SelfAssessment, Status
from personfirst.sds.selfassessment.services import load_shipped_ras

from .conftest import sign_in

pytestmark = pytest.mark.browser

BASE = "/resource-allocation/E99000001/versions/"


def agreed(area, level: int) -> None:
    current = questionnaire.current()
    answers = {q.key: q.options[min(level, len(q.options) - 1)].key for q in current.questions(False)}
    person = Person.objects.create(given_name="Test", family_name=f"Person {level}", council_area=area)
    sa = SelfAssessment.objects.create(
        person=person,
        questionnaire_key=current.key,
        questionnaire_version=current.version,
        status=Status.AGREED,
        agreed_at=timezone.now(),
    )
    AnswerChange.objects.bulk_create(
        AnswerChange(self_assessment=sa, question=q, answer=a, as_role="the person") for q, a in answers.items()
    )
    labels = {q.key: (q.prompt, q.label_of(answers.get(q.key))) for q in sa.questions()}
    with transaction.atomic():
        allocation.make_budget(sa, answers, labels, by=None)


def reflows(page, path: str) -> None:
    page.visit(path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


def test_upload_preview_publish(world, page, tmp_path):
    load_shipped_ras(world.area)
    for level in range(6):
        agreed(world.area, 1 + level % 2)
    sign_in(page, world.council_admin.email, world.password)
    page.visit(BASE)
    assert "In force" in page.locator("main").inner_text()

    # A bad file first: every problem by line, nothing stored.
    bad = tmp_path / "eastmere-ras-2.yaml"
    text = (ras_file.SHIPPED / "eastmere-ras-1.yaml").read_text().replace("version: 1", "version: 2")
    bad.write_text(text.replace('"9.50"', '"lots"'))
    page.follow(page.get_by_role("link", name="Upload a RAS file"))
    page.locator("#id_file").set_input_files(str(bad))
    page.submit(page.get_by_role("button", name="Upload and check"))
    assert "eastmere-ras-2.yaml:7: price_per_point" in page.locator(".govuk-error-summary").inner_text()
    assert not RasVersion.objects.filter(version=2).exists()

    good = tmp_path / "good" / "eastmere-ras-2.yaml"
    good.parent.mkdir()
    good.write_text(text.replace('"9.50"', '"12.00"'))
    page.locator("#id_file").set_input_files(str(good))
    page.submit(page.get_by_role("button", name="Upload and check"))
    assert "Draft: not used for any budget" in page.locator("main").inner_text()
    version_path = page.path

    page.follow(page.get_by_role("link", name="See the impact"))
    main = page.locator("main").inner_text()
    assert "Up by more than 10%" in main and "By age band" in main
    assert page.locator("#up-more").inner_text() == "6"

    page.follow(page.get_by_role("link", name="Publish this version"))
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.submit(page.get_by_role("button", name="Publish"))
    assert "6 new indicative budgets made with it" in page.locator("main").inner_text()
    assert IndicativeBudget.objects.filter(ras_version__version=2).count() == 6

    page.set_viewport_size({"width": 320, "height": 640})
    impact_path = version_path + "impact/"
    for path in (
        BASE,
        BASE + "upload/",
        version_path,
        impact_path,
        "/resource-allocation/",
        "/councils/E99000001/teams/",
    ):
        reflows(page, path)
