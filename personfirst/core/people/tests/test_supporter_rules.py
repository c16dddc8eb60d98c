"""What a supporter may do, for every state a supporter relationship can be in."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personfirst.core.people.models import Supporter

pytestmark = pytest.mark.django_db


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accepted=st.booleans(),
    consented=st.booleans(),
    ended=st.booleans(),
    last_day=st.one_of(st.none(), st.integers(min_value=-3, max_value=3)),
    may_edit=st.booleans(),
    may_act=st.booleans(),
)
def test_a_supporter_may_what_they_were_given_only_while_current(
    world, accepted, consented, ended, last_day, may_edit, may_act
):
    today = timezone.localdate()
    Supporter.objects.filter(person=world.cared_for, email="carer@people.example").update(
        user=world.carer if accepted else None,
        consent_given_at=timezone.now() if consented else None,
        ended_at=timezone.now() if ended else None,
        valid_until=None if last_day is None else today + datetime.timedelta(days=last_day),
        may_edit=may_edit,
        may_act=may_act,
    )
    current = accepted and consented and not ended and (last_day is None or last_day >= 0)
    carer, rose = world.carer, world.cared_for
    assert carer.has_perm("people.view_person", rose) is current
    assert carer.has_perm("people.change_person", rose) is (current and may_edit)
    assert carer.has_perm("people.view_reads", rose) is (current and may_act)
    assert carer.has_perm("people.manage_supporters", rose) is False
    assert carer.has_perm("people.view_person", world.own_record) is False  # never anyone else's
