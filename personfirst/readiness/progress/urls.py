from django.urls import path

from . import views

app_name = "progress"
base = "organisations/<slug:slug>/history/"
urlpatterns = [
    path(base, views.history_page, name="history"),
    path(base + "instruments/<slug:instrument_key>/trend.svg", views.trend_chart, name="trend-chart"),
    path(base + "actions-done.svg", views.actions_chart, name="actions-chart"),
]
