from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.people_list, name="list"),
    path("people/new/", views.create, name="create"),
    path("people/<uuid:pk>/", views.record, name="record"),
    path("people/<uuid:pk>/change/", views.edit, name="edit"),
    path("people/<uuid:pk>/reason/", views.reason, name="reason"),
    path("people/<uuid:pk>/supporters/", views.supporters, name="supporters"),
    path("people/<uuid:pk>/supporters/<int:supporter_id>/end/", views.end_supporter, name="end-supporter"),
    path("people/<uuid:pk>/who-has-looked/", views.reads, name="reads"),
    path("people/<uuid:pk>/invite/", views.invite, name="invite"),
    path("councils/<str:code>/teams/", views.teams, name="teams"),
    path("people/invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
