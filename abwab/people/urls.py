from django.urls import path

from abwab.people import views, views_dedupe, views_imports, views_privacy

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_register, name="register"),
    path("export/", views_privacy.members_export, name="export_list"),
    path("imports/", views_imports.import_list, name="imports"),
    path("imports/<int:pk>/", views_imports.import_detail, name="import"),
    path("cards.pdf", views_privacy.member_cards_pdf, name="cards_pdf"),
    path("cards/<int:pk>.pdf", views_privacy.member_card_pdf, name="card_pdf"),
    path("duplicates/", views.duplicate_check, name="duplicates"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/export/", views_privacy.person_export, name="export"),
    path("<int:pk>/anonymise/", views_privacy.person_erase, name="anonymise"),
    path("clusters/", views_dedupe.cluster_list, name="clusters"),
    path("clusters/<int:pk>/", views_dedupe.cluster_detail, name="cluster"),
    path("merges/<int:pk>/undo/", views_dedupe.merge_undo, name="merge_undo"),
]
