from django.urls import path

from abwab.territory import views, views_offices

app_name = "territory"
urlpatterns = [
    path("<int:pk>/", views.territory_detail, name="detail"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:pk>/", views.office_detail, name="office_detail"),
    path("offices/new/", views_offices.office_new, name="office_new"),
    path("offices/<int:pk>/edit/", views_offices.office_edit, name="office_edit"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
]
