from django.urls import path

from abwab.campaigns import views, views_door, views_offline

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/split/<int:territory_pk>/", views.target_split, name="split"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/door/", views_door.door_desk, name="door"),
    path("events/<int:pk>/door/offline/", views_offline.door_offline, name="door_offline"),
    path(
        "events/<int:pk>/door/manifest.webmanifest",
        views_offline.door_manifest,
        name="door_manifest",
    ),
    path("door-sw.js", views_offline.door_service_worker, name="door_sw"),
    path("cards/<int:pk>/", views_door.member_card, name="card"),
]
