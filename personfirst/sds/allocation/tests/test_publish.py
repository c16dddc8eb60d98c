"""Publishing a council's draft RAS version: the rules of the service, and
two publications at once (real transactions, the ``race`` fixture)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personfirst.core.concurrency import ConflictError
from personfirst.sds.allocation import services
from personfirst.sds.allocation.models import IndicativeBudget, RasStatus, RasVersion

from .conftest import agreed_person, answers_at, draft_text


@pytest.mark.django_db
def test_a_draft_is_in_force_nowhere_and_publishing_today_remakes_agreed_budgets(eastmere):
    world = eastmere
    sam = agreed_person(world.area, answers_at(2))
    waiting = agreed_person(world.area, answers_at(1), budget=False)  # agreed before any RAS: no budget yet
    draft, stored = services.load_ras(draft_text("10.00"), "v2.yaml", council_area=world.area, by=world.council_admin)
    assert stored and draft.status(world.v1.pk) == RasStatus.DRAFT
    assert services.current_ras(world.area) == world.v1

    done = services.publish(draft, by=world.council_admin, effective_from=timezone.localdate())
    draft.refresh_from_db()
    assert done.budgets_made == 2 and draft.published_by == world.council_admin
    assert services.current_ras(world.area) == draft and draft.status(draft.pk) == RasStatus.IN_FORCE
    assert [b.ras_version for b in sam.indicative_budgets.all()] == [draft, world.v1]  # the old one kept
    assert waiting.indicative_budgets.get().ras_version == draft
    # A published version is never changed, and is never published again.
    with pytest.raises(ConflictError, match="already published on .* by "):
        services.publish(RasVersion.objects.get(pk=draft.pk), by=world.council_admin)


@pytest.mark.django_db
def test_publishing_from_a_later_date_changes_nothing_today(eastmere):
    world = eastmere
    agreed_person(world.area, answers_at(2))
    draft, _ = services.load_ras(draft_text("10.00"), "v2.yaml", council_area=world.area)
    later = timezone.localdate() + datetime.timedelta(days=30)
    assert services.publish(draft, by=world.council_admin, effective_from=later).budgets_made == 0
    assert services.current_ras(world.area) == world.v1
    assert services.current_ras(world.area, later) == draft
    assert not IndicativeBudget.objects.filter(ras_version=draft).exists()


@pytest.mark.django_db
def test_a_date_in_the_past_is_refused(eastmere):
    draft, _ = services.load_ras(draft_text(), "v2.yaml", council_area=eastmere.area)
    with pytest.raises(services.PublishError, match="today or later"):
        services.publish(draft, by=eastmere.council_admin, effective_from=datetime.date(2020, 1, 1))
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.django_db
def test_a_budget_uses_the_persons_own_councils_ras(eastmere):
    world = eastmere
    with pytest.raises(services.RasLoadError, match="No RAS is in force in this council"):
        agreed_person(world.other_area, answers_at(1))
    other, _ = services.load_ras(draft_text("1.00", version=1), "w.yaml", council_area=world.other_area)
    services.publish(other, by=None, backdate=True)
    budget = agreed_person(world.other_area, answers_at(1)).indicative_budgets.get()
    assert budget.ras_version == other


@pytest.mark.django_db(transaction=True)
def test_two_publications_of_one_draft_at_once_publish_it_once(world, race):
    from personfirst.sds.selfassessment.services import load_shipped_ras

    load_shipped_ras(world.area)
    for level in range(3):
        agreed_person(world.area, answers_at(level))
    draft, _ = services.load_ras(draft_text("10.00"), "v2.yaml", council_area=world.area)
    today = timezone.localdate()

    def publish():
        return services.publish(RasVersion.objects.get(pk=draft.pk), by=world.council_admin, effective_from=today)

    outcomes = race(publish, publish)
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked
    assert sum(o.ok for o in outcomes) == 1
    assert IndicativeBudget.objects.filter(ras_version=draft).count() == 3  # made once, not twice


@pytest.mark.django_db(transaction=True)
def test_two_drafts_published_at_once_in_one_council_take_turns(world, race):
    from personfirst.sds.selfassessment.services import load_shipped_ras

    load_shipped_ras(world.area)
    for level in range(3):
        agreed_person(world.area, answers_at(level))
    two, _ = services.load_ras(draft_text("10.00", version=2), "v2.yaml", council_area=world.area)
    three, _ = services.load_ras(draft_text("11.00", version=3), "v3.yaml", council_area=world.area)
    today = timezone.localdate()
    outcomes = race(
        lambda: services.publish(RasVersion.objects.get(pk=two.pk), by=None, effective_from=today),
        lambda: services.publish(RasVersion.objects.get(pk=three.pk), by=None, effective_from=today),
    )
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    # Version 3 is in force (the higher version on the same day), and every
    # person's latest budget was made with the version in force when it was made.
    assert services.current_ras(world.area) == three
    made = {o.value.version.pk: o.value.budgets_made for o in outcomes}
    assert made[three.pk] == 3
    assert made[two.pk] in (0, 3)  # 0 when version 3 was published first: then 2 was never in force
