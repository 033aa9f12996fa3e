from django.urls import path

from abwab.people import (
    views,
    views_cards,
    views_consents,
    views_dedupe,
    views_imports,
    views_privacy,
)
from abwab.people.officials import views as views_officials

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_register, name="register"),
    path("export/", views_privacy.members_export, name="export_list"),
    path("imports/", views_imports.import_list, name="imports"),
    path("imports/<int:pk>/", views_imports.import_detail, name="import"),
    path(
        "imports/template.<str:kind>",
        views_imports.import_template_download,
        name="import_template",
    ),
    path("cards/", views_cards.cards_print, name="cards_print"),
    path("cards/sheets/<int:pk>.pdf", views_cards.cards_download, name="cards_file"),
    path("cards/<int:pk>.pdf", views_cards.member_card_pdf, name="card_pdf"),
    path("duplicates/", views.duplicate_check, name="duplicates"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/export/", views_privacy.person_export, name="export"),
    path("<int:pk>/anonymise/", views_privacy.person_erase, name="anonymise"),
    path("<int:pk>/consents/", views_consents.person_consents, name="consents"),
    path(
        "<int:pk>/consents/evidence.<str:kind>",
        views_consents.person_consents_evidence,
        name="consents_evidence",
    ),
    path("consents/evidence/", views_consents.consents_evidence, name="consents_evidence_list"),
    path("clusters/", views_dedupe.cluster_list, name="clusters"),
    path("clusters/<int:pk>/", views_dedupe.cluster_detail, name="cluster"),
    path("merges/<int:pk>/undo/", views_dedupe.merge_undo, name="merge_undo"),
    path("bodies/<int:pk>/", views_officials.body_detail, name="body"),
    path("bodies/<int:pk>/appoint/", views_officials.body_appoint, name="body_appoint"),
    path("positions/<int:pk>/end/", views_officials.position_end, name="position_end"),
    path("officials/", views_officials.officials, name="officials"),
    path("mandates/new/", views_officials.mandate_enter, name="mandate_enter"),
    path("mandates/<int:pk>/end/", views_officials.mandate_end, name="mandate_end"),
]
