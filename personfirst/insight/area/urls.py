from django.urls import path

from . import sources, views

app_name = "insight"


def _scope_urls(prefix: str, kind: str, name: str) -> list:
    """The page of one kind of scope, its charts and its downloads."""
    scope = {"kind": kind}
    return [
        path(prefix, views.page, scope, name=name),
        path(prefix + "charts/<slug:name>.svg", views.chart, scope, name=f"{name}-chart"),
        path(prefix + "report.<slug:fmt>", views.download, scope, name=f"{name}-report"),
    ]


urlpatterns = [
    path("insight/", views.index, name="index"),
    path("areas/<str:code>/", views.area_page, name="area-page"),
    *_scope_urls("insight/england/", sources.ENGLAND, "england"),
    *_scope_urls("insight/areas/<str:code>/", sources.AREA, "area"),
    *_scope_urls("insight/shared/<slug:slug>/", sources.SHARED, "shared"),
    path("organisations/<slug:slug>/standing/", views.standing_page, name="standing"),
]
