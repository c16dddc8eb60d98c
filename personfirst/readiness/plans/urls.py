from django.urls import path

from . import views

app_name = "plans"
base = "organisations/<slug:slug>/plan/"
one = base + "actions/<int:pk>/"
urlpatterns = [
    path(base, views.plan, name="plan"),
    path(base + "add/", views.add, name="add"),
    path(base + "decide/", views.decide_group, name="decide-group"),
    path(one, views.action_detail, name="action"),
    path(one + "change/", views.edit, name="edit"),
    path(one + "remove/", views.remove, name="remove"),
    path(one + "decide/", views.decide, name="decide"),
    path(one + "move/", views.move, name="move"),
    path("organisations/<slug:slug>/assessments/<int:pk>/targets/", views.targets, name="targets"),
]
