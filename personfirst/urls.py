from django.urls import include, path

from api.api import api
from front.admin_site import admin_site

urlpatterns = [
    path("", include("front.urls")),
    path("account/", include("accounts.urls")),
    path("", include("organisations.urls")),
    path("", include("readiness.urls")),
    path("", include("plans.urls")),
    path("", include("progress.urls")),
    path("", include("caseload.urls")),
    path("", include("reports.urls")),
    path("", include("insight.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
]

handler400 = "front.views.bad_request"
handler403 = "front.views.permission_denied"
handler404 = "front.views.page_not_found"
handler500 = "front.views.server_error"
