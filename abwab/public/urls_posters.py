"""Posters to print, texts to share, and the campaign's documents to read (no login)."""

from django.urls import path

from abwab.public import views_posters

urlpatterns = [
    path("event/<int:pk>/poster/", views_posters.poster, name="poster"),
    path("event/<int:pk>/poster.pdf", views_posters.poster_pdf, name="poster_pdf"),
    path("p/<str:code>/share/", views_posters.share, name="share"),
    path("documents/", views_posters.documents, name="documents"),
    path("documents/<int:pk>/", views_posters.document, name="document"),
]
