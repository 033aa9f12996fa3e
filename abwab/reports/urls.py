from django.urls import path

from abwab.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("report.pdf", views.dashboard_pdf, name="dashboard_pdf"),
]
