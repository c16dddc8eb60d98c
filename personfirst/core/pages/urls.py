from django.urls import path

from . import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthcheck, name="healthcheck"),
]
