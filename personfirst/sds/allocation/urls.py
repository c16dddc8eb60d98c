from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("people/<uuid:pk>/budget/", views.budgets, name="budgets"),
    path("people/<uuid:pk>/budget/<int:budget_id>/", views.budget, name="budget"),
    path("resource-allocation/", views.ras, name="ras"),
    path("resource-allocation/<str:code>/", views.council_ras, name="council-ras"),
    path("resource-allocation/<str:code>/versions/", views.versions, name="versions"),
    path("resource-allocation/<str:code>/versions/upload/", views.upload, name="upload"),
    path("resource-allocation/<str:code>/versions/<int:version_id>/", views.version, name="version"),
    path("resource-allocation/<str:code>/versions/<int:version_id>/impact/", views.impact_preview, name="impact"),
    path("resource-allocation/<str:code>/versions/<int:version_id>/publish/", views.publish, name="publish"),
]
