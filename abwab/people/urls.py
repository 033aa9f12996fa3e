from django.urls import path

from abwab.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_register, name="register"),
    path("duplicates/", views.duplicate_check, name="duplicates"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
]
