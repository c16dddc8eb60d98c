from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/services/<uuid:service_id>/", views.service, name="service"),
]
