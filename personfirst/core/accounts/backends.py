"""Signing in with an e-mail address and password, and nothing else.

Django's ModelBackend also answers permission checks from its permission
tables, with two queries per request for anyone a rule has said no to.
PersonFirst grants nothing there: every permission comes from
access/rules.py (docs/decisions/0003-permissions-with-django-rules.md), and
platform administrators manage the admin by being platform administrators
(front/admin_site.py). So this backend signs people in as ModelBackend does
(checking the password and that the account is active) and answers every
permission question with "not from me".
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False
