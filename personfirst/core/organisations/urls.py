from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/<slug:slug>/", views.detail, name="detail"),
    path("organisations/<slug:slug>/edit/", views.edit, name="edit"),
    path("organisations/<slug:slug>/people/", views.people, name="people"),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/cancel/",
        views.revoke_invitation,
        name="revoke-invitation",
    ),
    path("organisations/<slug:slug>/members/<int:grant_id>/remove/", views.remove_member, name="remove-member"),
    path("organisations/<slug:slug>/sharing/", views.sharing, name="sharing"),
    path("organisations/<slug:slug>/sharing/<int:grant_id>/stop/", views.revoke_grant, name="revoke-grant"),
    path("organisations/<slug:slug>/audit/", views.audit_trail, name="audit"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
