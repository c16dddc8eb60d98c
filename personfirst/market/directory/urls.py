from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("organisations/<slug:slug>/directory/", views.provider, name="provider"),
    path("organisations/<slug:slug>/directory/add/", views.add, name="add"),
    path("organisations/<slug:slug>/directory/services/<uuid:service_id>/edit/", views.edit, name="edit"),
    path("organisations/<slug:slug>/directory/submissions/<int:pk>/", views.submission, name="submission"),
    path("directory/services/<uuid:service_id>/confirm/", views.confirm, name="confirm"),
    path("directory/moderation/", views.queue, name="queue"),
    path("directory/moderation/<int:pk>/", views.review, name="review"),
]
