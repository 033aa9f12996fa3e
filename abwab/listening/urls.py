from django.urls import path

from abwab.listening import views

app_name = "listening"
urlpatterns = [
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("dossiers/", views.dossier_list, name="dossiers"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
]
