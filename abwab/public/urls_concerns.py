from django.urls import path

from abwab.public import views_concerns as views

urlpatterns = [
    path("concern/", views.concern, name="concern"),
    path("follow/", views.follow, name="follow"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_decide, name="moderation_decide"),
]
