"""The crawl's reader of visible text finds untranslated codes, and only them."""

from django.utils import translation

from abwab.core.tests.crawl import untranslated_codes, url_pattern


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_snake_case_words_and_dotted_model_names_are_codes():
    texts = ["Import: first_name_ar, commune_code", "Tâche people.dedupe", "write people.Person"]
    assert untranslated_codes(texts, "fr") == [
        "first_name_ar",
        "commune_code",
        "people.dedupe",
        "people.Person",
    ]


def test_a_message_left_in_english_or_in_the_other_language_is_a_code():
    dashboard_ar, dashboard_fr = _in("ar", "Dashboard"), _in("fr", "Dashboard")
    assert dashboard_ar != "Dashboard" and dashboard_fr != "Dashboard"  # both translated
    assert untranslated_codes(["Dashboard", dashboard_fr, dashboard_ar], "ar") == [
        "Dashboard",
        dashboard_fr,
    ]
    assert untranslated_codes(["Dashboard", dashboard_ar, dashboard_fr], "fr") == [
        "Dashboard",
        dashboard_ar,
    ]


def test_words_names_files_and_addresses_are_not_codes():
    texts = [
        "Portes ouvertes · 30 novembre 2026",
        "office-taounate_a",  # a name made of a hyphenated word
        "attachment-fes_north.pdf",
        "minutes.pdf",
        "contact@abwab.ma",
        "www.example.org",
        "M. Idrissi, etc.",
        "سعاد الإدريسي",
        "03-2026-000127",
    ]
    assert untranslated_codes(texts, "fr") == []


def test_urls_that_differ_by_ids_or_query_values_are_one_page():
    assert url_pattern("/people/12/") == url_pattern("/people/13/") == "/people/<n>/"
    assert url_pattern("/people/cards/7.pdf") == "/people/cards/<n>.pdf"
    assert url_pattern("/dashboard/?territory=03") == url_pattern("/dashboard/?territory=02")
    assert url_pattern("/campaigns/1/split/2/") == "/campaigns/<n>/split/<n>/"
