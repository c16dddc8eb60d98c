from django.urls import path

from . import views

app_name = "selfassessment"
urlpatterns = [
    path("people/<uuid:pk>/self-assessment/", views.self_assessments, name="list"),
    path("people/<uuid:pk>/self-assessment/<int:sa_id>/", views.check, name="check"),
    path("people/<uuid:pk>/self-assessment/<int:sa_id>/questions/<slug:question>/", views.question, name="question"),
    path("people/<uuid:pk>/self-assessment/<int:sa_id>/review/<slug:question>/", views.review, name="review"),
    path("people/<uuid:pk>/self-assessment/<int:sa_id>/agree/", views.agree, name="agree"),
]
