"""Signing in uses accounts.backends.PasswordBackend: the password still
counts, and Django's permission tables grant nothing (access/rules.py does)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_right_password_signs_in_and_a_wrong_one_does_not(world, rf):
    request = rf.post("/account/sign-in/")
    assert authenticate(request, username=world.member.email, password=world.password) == world.member
    assert authenticate(request, username=world.member.email, password="not the password") is None


def test_permissions_in_djangos_tables_grant_nothing(world):
    member = world.member
    rules_say = member.has_perm("organisations.change_organisation")
    member.user_permissions.set(Permission.objects.all())
    member = type(member).objects.get(pk=member.pk)  # no cached permissions
    assert member.has_perm("organisations.change_organisation") == rules_say
    assert not member.has_perm("auth.add_permission")
    assert member.get_all_permissions() == set()


def test_a_permission_a_rule_refuses_costs_no_permission_table_queries(world):
    outsider = type(world.outsider).objects.get(pk=world.outsider.pk)
    with CaptureQueriesContext(connection) as queries:
        outsider.has_perm("insight.view_national")
    assert not any("auth_permission" in q["sql"] for q in queries.captured_queries)
