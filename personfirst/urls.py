from django.urls import include, path

from personfirst.core.api.api import api
from personfirst.core.ui.admin_site import admin_site

urlpatterns = [
    path("", include("personfirst.core.pages.urls")),
    path("account/", include("personfirst.core.accounts.urls")),
    path("", include("personfirst.core.organisations.urls")),
    path("", include("personfirst.core.access.urls")),
    path("", include("personfirst.core.people.urls")),
    path("", include("personfirst.readiness.assessments.urls")),
    path("", include("personfirst.readiness.plans.urls")),
    path("", include("personfirst.readiness.progress.urls")),
    path("", include("personfirst.readiness.caseload.urls")),
    path("", include("personfirst.readiness.reports.urls")),
    path("", include("personfirst.sds.eligibility.urls")),
    path("", include("personfirst.sds.selfassessment.urls")),
    path("", include("personfirst.sds.allocation.urls")),
    path("", include("personfirst.sds.calibration.urls")),
    path("", include("personfirst.insight.area.urls")),
    path("", include("personfirst.market.directory.urls")),
    path("", include("personfirst.market.search.urls")),
    path("oruk/", include("personfirst.market.directory.oruk_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
]

handler400 = "personfirst.core.pages.views.bad_request"
handler403 = "personfirst.core.pages.views.permission_denied"
handler404 = "personfirst.core.pages.views.page_not_found"
handler500 = "personfirst.core.pages.views.server_error"
