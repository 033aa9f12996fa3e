from django.urls import path

from abwab.public import views_pages as views

urlpatterns = [
    path("", views.index, name="index"),
    path("r/<str:code>/", views.region, name="region"),
    path("p/<str:code>/", views.province, name="province"),
    path("c/<str:code>.ics", views.commune_ics, name="commune_ics"),
    path("c/<str:code>/", views.commune, name="commune"),
    path("event/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("event/<int:pk>/", views.event, name="event"),
    path("search/", views.search, name="search"),
    path("near/", views.near, name="near"),
]
