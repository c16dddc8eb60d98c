from django.urls import path

from . import views

app_name = "reports"
report = "organisations/<slug:slug>/assessments/<int:pk>/report/"
urlpatterns = [
    path(report, views.report_page, name="report"),
    # The address ends in the file type, so that browsers and crawlers can
    # tell a download from a page; the file's own name comes in the
    # Content-Disposition header.
    path(report + "report.pdf", views.download, {"kind": "pdf"}, name="pdf"),
    path(report + "report.docx", views.download, {"kind": "docx"}, name="docx"),
    path(report + "report.xlsx", views.download, {"kind": "xlsx"}, name="xlsx"),
    path(report + "answers.csv", views.download, {"kind": "answers-csv"}, name="answers-csv"),
    path(report + "plan.csv", views.download, {"kind": "plan-csv"}, name="plan-csv"),
]
