from django.urls import path

from . import views

app_name = "readiness"
base = "organisations/<slug:slug>/assessments/"
one = base + "<int:pk>/"
urlpatterns = [
    path(base, views.assessment_list, name="list"),
    path(one, views.assessment_detail, name="assessment"),
    path(one + "sections/<slug:section_key>/", views.section, name="section"),
    path(one + "check/", views.check_answers, name="check"),
    path(one + "submit/", views.submit, name="submit"),
    path(one + "results/", views.results_page, name="results"),
    path(one + "results/radar.svg", views.radar_chart, name="radar"),
    path(one + "respondents/", views.respondents, name="respondents"),
    path(one + "respondents/<int:respondent_id>/remove/", views.remove_respondent, name="remove-respondent"),
    path(one + "compare/", views.compare, name="compare"),
    path(one + "my-answers/", views.my_answers, name="my-answers"),
    path(one + "my-answers/<slug:section_key>/", views.my_section, name="my-section"),
]
