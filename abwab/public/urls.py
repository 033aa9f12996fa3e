"""The public open-doors site (no login). Each part keeps its own routes so that they grow apart."""

from abwab.public import urls_concerns, urls_pages, urls_posters, urls_prereg

app_name = "public"
urlpatterns = [
    *urls_pages.urlpatterns,
    *urls_prereg.urlpatterns,
    *urls_concerns.urlpatterns,
    *urls_posters.urlpatterns,
]
