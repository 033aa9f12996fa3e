from django.urls import path

from abwab.meetings import views, views_founding, views_media, views_programmes, views_reply

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/communique/", views_media.communique_new, name="communique_new"),
    path("decisions/", views.decisions, name="decisions"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("foundings/new/", views_founding.founding_new, name="founding_new"),
    path("foundings/<int:pk>/", views_founding.founding_detail, name="founding"),
    path("programmes/", views_programmes.programme_list, name="programmes"),
    path("calendar/", views_programmes.calendar_page, name="calendar"),
    path("calendar.ics", views_programmes.calendar_ics, name="calendar_ics"),
    path("communiques/", views_media.communique_list, name="communiques"),
    path("communiques/<int:pk>/", views_media.communique_edit, name="communique"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("reply/<str:token>/", views_reply.meeting_reply, name="reply"),
]
