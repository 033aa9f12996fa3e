from django.urls import path

from abwab.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("audit/", views.audit_log, name="audit"),
]
