from django.urls import path

from abwab.campaigns import (
    views,
    views_documents,
    views_door,
    views_memo,
    views_offline,
    views_plan,
)

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views_plan.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/status/", views_plan.campaign_status, name="status"),
    path("<int:pk>/acknowledge/", views_plan.campaign_ack, name="acknowledge"),
    path("<int:pk>/goals/", views_plan.campaign_goal, name="goal"),
    path("<int:pk>/items/", views_plan.campaign_items, name="items"),
    path("<int:pk>/events/new/", views_plan.event_new, name="event_new"),
    path("<int:pk>/documents/", views_documents.campaign_documents, name="documents"),
    path("<int:pk>/public/", views_plan.campaign_public, name="public"),
    path("<int:pk>/memo/", views_memo.campaign_memo, name="memo"),
    path("memo/<str:token>/", views_memo.memo_read, name="memo_read"),
    path("<int:pk>/split/<int:territory_pk>/", views.target_split, name="split"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/copy/", views_plan.event_copy, name="event_copy"),
    path("events/<int:pk>/public/", views_plan.event_public, name="event_public"),
    path("events/<int:pk>/door/", views_door.door_desk, name="door"),
    path("events/<int:pk>/door/arrive/", views_door.door_arrive, name="door_arrive"),
    path("events/<int:pk>/door/offline/", views_offline.door_offline, name="door_offline"),
    path(
        "events/<int:pk>/door/manifest.webmanifest",
        views_offline.door_manifest,
        name="door_manifest",
    ),
    path("door-sw.js", views_offline.door_service_worker, name="door_sw"),
    path("cards/<int:pk>/", views_door.member_card, name="card"),
]
