"""An instrument version's sections and items are read once per process
(structure.py): a new version is used at once, the version an assessment
started with stays its own, and nothing about an organisation is kept."""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from personfirst.readiness.assessments import loading, services, structure
from personfirst.readiness.assessments.models import Assessment, Item

WORKFORCE = Path(loading.SHIPPED_DIR) / "workforce-ladder.yaml"
HEALTH_CHECK = Path(loading.SHIPPED_DIR) / "health-check.yaml"


def load(tmp_path, text: str | None = None):
    if text is None:
        return loading.load_path(WORKFORCE).version
    path = tmp_path / WORKFORCE.name
    path.write_text(text, encoding="utf-8")
    return loading.load_path(path).version


def test_a_versions_sections_and_items_are_read_once(world, tmp_path):
    version = load(tmp_path)
    first = Assessment.objects.create(organisation=world.org, version=version, started_by=world.admin)
    services.split_sections(first)
    again = Assessment.objects.select_related("organisation", "version").get(pk=first.pk)
    with CaptureQueriesContext(connection) as queries:
        applies, _left_out = services.split_sections(again)
        items = [item.key for section in applies for item in section.items.all()]
    assert len(queries) == 0
    assert items == list(version.items.order_by("section__position", "position").values_list("key", flat=True))


def test_a_new_version_is_used_at_once_and_an_older_assessment_keeps_its_own(world, tmp_path):
    old_version = load(tmp_path)
    old = Assessment.objects.create(organisation=world.org, version=old_version, started_by=world.admin)
    assert services.split_sections(old)[0][0].items.all()[0].levels[0].startswith("Meeting the legal basics.")

    changed = WORKFORCE.read_text(encoding="utf-8").replace("Meeting the legal basics.", "Meeting the legal minimum.")
    new_version = load(tmp_path, changed)
    new = services.start(organisation=world.org, instrument=new_version.instrument, by=world.admin)

    assert new.version == new_version
    (section,), _left_out = services.split_sections(new)
    assert section.version_id == new_version.pk
    assert section.items.all()[0].levels[0].startswith("Meeting the legal minimum.")
    (section,), _left_out = services.split_sections(old)
    assert section.version_id == old_version.pk
    assert section.items.all()[0].levels[0].startswith("Meeting the legal basics.")


def test_an_item_saved_is_read_again(world, tmp_path):
    version = load(tmp_path)
    assessment = Assessment.objects.create(organisation=world.org, version=version, started_by=world.admin)
    services.split_sections(assessment)
    item = Item.objects.get(version=version)
    item.prompt = "Reworded"
    item.save()
    (section,), _left_out = services.split_sections(assessment)
    assert section.items.all()[0].prompt == "Reworded"


def test_which_sections_apply_is_still_worked_out_for_each_organisation(world):
    """Only the version's rows are kept: the sections that apply follow each organisation's own profile."""
    version = loading.load_path(HEALTH_CHECK).version
    ours = Assessment.objects.create(organisation=world.org, version=version, started_by=world.admin)
    theirs = Assessment.objects.create(organisation=world.other_org, version=version, started_by=world.admin)
    world.other_org.services = ["direct_payment_support"]
    world.other_org.save()
    theirs.organisation = world.other_org
    our_keys = {s.key for s in services.split_sections(ours)[0]}
    their_keys = {s.key for s in services.split_sections(theirs)[0]}
    assert "direct-payment-support" not in our_keys
    assert "direct-payment-support" in their_keys
    assert structure.sections_of(version) is structure.sections_of(ours.version)
