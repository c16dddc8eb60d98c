from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("people/<uuid:pk>/eligibility/", views.decisions, name="decisions"),
    path("people/<uuid:pk>/eligibility/new/<str:kind>/", views.screen, name="screen"),
    path("people/<uuid:pk>/eligibility/<int:decision_id>/", views.decision, name="decision"),
]
