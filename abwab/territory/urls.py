from django.urls import path

from abwab.territory import views

app_name = "territory"
urlpatterns = [
    path("<int:pk>/", views.territory_detail, name="detail"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:pk>/", views.office_detail, name="office_detail"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
]
