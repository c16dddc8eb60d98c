"""/oruk/: the Open Referral UK API (api.py), open to every origin (cors.py).

Its URL names are in the ``oruk`` namespace: oruk:root, oruk:services, ...
"""

from django.urls import include, path, re_path

from . import cors
from .api import api

_patterns, _app, _namespace = api.urls
_patterns = cors.open_to_all(_patterns)
# Ninja's own "api-root" (which it reverses to place its OpenAPI paths) shares ""
# with the standard's "/" (api.root): both answer with the standard's.
_by_name = {pattern.name: pattern for pattern in _patterns}
_by_name["api-root"].callback = _by_name["root"].callback

urlpatterns = [
    path("", include((_patterns, _app), namespace=_namespace)),
    re_path(r"^(?P<rest>.*)$", cors.not_found, name="oruk-not-found"),
]
