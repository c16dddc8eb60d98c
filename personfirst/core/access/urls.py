from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("roles/", views.roles_index, name="roles"),
    path("roles/service/", views.platform_roles, name="platform-roles"),
    path("roles/areas/<str:code>/", views.area_roles, name="area-roles"),
    path("roles/<int:grant_id>/end/", views.end_role, name="end-role"),
]
