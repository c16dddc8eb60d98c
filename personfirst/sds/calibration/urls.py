from django.urls import path

from . import views

app_name = "calibration"
urlpatterns = [
    path("councils/<str:code>/calibration/", views.imports, name="imports"),
    path("councils/<str:code>/calibration/upload/", views.upload, name="upload"),
    path("councils/<str:code>/calibration/uploads/<int:upload_id>/", views.report, name="report"),
    path("councils/<str:code>/calibration/<int:import_id>/fit/", views.fit, name="fit"),
    path("councils/<str:code>/calibration/<int:import_id>/fit/chart.svg", views.fit_chart, name="fit-chart"),
    path("councils/<str:code>/calibration/<int:import_id>/equity/", views.equity, name="equity"),
]
