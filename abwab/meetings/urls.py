from django.urls import path

from abwab.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("decisions/", views.decisions, name="decisions"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("communiques/<int:pk>/", views.communique_edit, name="communique"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
