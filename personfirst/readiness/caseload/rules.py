"""Who has a caseload (autodiscovered by django-rules): development workers."""

from __future__ import annotations

from personfirst.core.access.roles import is_development_worker
from personfirst.core.access.shortcuts import add_perm

add_perm("caseload.view_caseload", is_development_worker)
