from django.urls import path

from abwab.campaigns import views, views_door

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/split/<int:territory_pk>/", views.target_split, name="split"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/door/", views_door.door_desk, name="door"),
    path("cards/<int:pk>/", views_door.member_card, name="card"),
]
