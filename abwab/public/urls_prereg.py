from django.urls import path

from abwab.public import views_prereg as views

urlpatterns = [
    path("event/<int:pk>/visit/", views.prereg, name="prereg"),
    path("receipt/<str:code>/", views.receipt, name="receipt"),
]
