"""The engine's addresses, included by abwab/messaging/urls.py (mounted at /messages/)."""

from django.urls import path

from abwab.messaging import views

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sends/<int:pk>/", views.send_detail, name="send"),
    path("sends/<int:pk>/pause/", views.send_control, {"action": "pause"}, name="send_pause"),
    path("sends/<int:pk>/resume/", views.send_control, {"action": "resume"}, name="send_resume"),
]
