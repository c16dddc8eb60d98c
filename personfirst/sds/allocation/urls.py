from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("people/<uuid:pk>/budget/", views.budgets, name="budgets"),
    path("people/<uuid:pk>/budget/<int:budget_id>/", views.budget, name="budget"),
    path("resource-allocation/", views.ras, name="ras"),
]
