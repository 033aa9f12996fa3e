"""The compose screen's address, included by abwab/messaging/urls.py (mounted at /messages/)."""

from django.urls import path

from abwab.messaging import views_compose

urlpatterns = [
    path("compose/", views_compose.compose, name="compose"),
]
