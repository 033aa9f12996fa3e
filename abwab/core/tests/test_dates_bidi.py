"""Dates in the Moroccan style and text that mixes directions (issue 15)."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from abwab.core import bidi, dates

AR = "يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر".split()
FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_reads_day_month_year_in_both_languages(month):
    day = datetime.date(2026, month, 30 if month != 2 else 28)
    number = day.day
    assert dates.long_date(day, "ar") == f"{number} {AR[month - 1]} 2026"
    assert dates.long_date(day, "fr") == f"{number} {FR[month - 1]} 2026"
    assert dates.short_date(day) == f"{number:02d}/{month:02d}/2026"
    with translation.override("ar"):
        assert dates.month_name(month) == AR[month - 1]
        assert dates.long_date(day) == f"{number} {AR[month - 1]} 2026"
    with translation.override("fr"):
        assert dates.month_name(month) == FR[month - 1]


def test_november_is_the_moroccan_name_not_the_levantine_one():
    with translation.override("ar"):
        text = dates.long_date(datetime.date(2026, 11, 30))
    assert text == "30 نونبر 2026"
    assert "نوفمبر" not in text


def test_french_first_of_the_month_and_weekday():
    assert dates.long_date(datetime.date(2026, 12, 1), "fr") == "1er décembre 2026"
    assert (
        dates.long_date(datetime.date(2026, 11, 30), "fr", weekday=True) == "lundi 30 novembre 2026"
    )
    assert (
        dates.long_date(datetime.date(2026, 11, 30), "ar", weekday=True) == "الاثنين 30 نونبر 2026"
    )


def test_moments_are_read_in_the_local_time_zone():
    at = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # Casablanca is UTC+1
    local = at.astimezone(CASABLANCA)
    assert dates.short_moment(at) == f"{local:%d/%m/%Y %H:%M}"
    assert dates.moment(at, "fr") == f"{dates.long_date(local.date(), 'fr')}, {local:%H:%M}"
    assert dates.moment(at, "ar").endswith(f"، {local:%H:%M}")
    assert dates.long_date(None) == dates.short_date(None) == dates.moment(None) == ""


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_django_formats_are_day_month_year(language):
    """What Django formats itself (admin, localize) is never the US month/day order."""
    at = datetime.datetime(2026, 11, 30, 14, 5, tzinfo=CASABLANCA)
    with translation.override(language):
        assert formats.date_format(at, "SHORT_DATE_FORMAT") == "30/11/2026"
        assert formats.date_format(at, "SHORT_DATETIME_FORMAT") == "30/11/2026 14:05"
        assert formats.date_format(at, "DATE_FORMAT").startswith("30 ")


def render(source: str, language: str = "ar", **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_date_filters_are_builtin_in_every_template():
    day = datetime.date(2026, 11, 30)
    assert render("{{ d|date_long }}", d=day) == "30 نونبر 2026"
    assert render("{{ d|date_long }}", "fr", d=day) == "30 novembre 2026"
    assert render("{{ d|date_short }}", d=day) == "30/11/2026"
    assert render(
        "{{ d|moment }}", "fr", d=datetime.datetime(2026, 11, 30, 9, 5, tzinfo=CASABLANCA)
    ) == ("30 novembre 2026, 09:05")


def test_numbers_and_codes_are_isolated():
    assert render("{{ c|ltr }}", c="03-2026-000401") == '<bdi dir="ltr">03-2026-000401</bdi>'
    assert render("{{ c|ltr }}", c="<b>") == '<bdi dir="ltr">&lt;b&gt;</bdi>'
    assert render("{{ c|bdi }}", c="الدورة") == "<bdi>الدورة</bdi>"
    assert render("{{ c|ltr }}", c="") == ""
    text = bidi.isolate_ltr("03-2026-000401")
    assert text == "\u206603-2026-000401\u2069"


def test_lists_use_the_arabic_comma_on_arabic_pages():
    items = ["الاسم", "الهاتف", "<x>"]
    assert render("{{ items|join_list }}", items=items) == (
        "<bdi>الاسم</bdi>، <bdi>الهاتف</bdi>، <bdi>&lt;x&gt;</bdi>"
    )
    assert render("{{ items|join_list }}", "fr", items=["nom", "téléphone"]) == (
        "<bdi>nom</bdi>, <bdi>téléphone</bdi>"
    )
    assert bidi.join_list(["a", "b"], "ar") == "a، b"
    loop = "{% for i in items %}{{ i }}{% if not forloop.last %}{% comma %}{% endif %}{% endfor %}"
    assert render(loop, items=[1, 2]) == "1، 2"
    assert render(loop, "fr", items=[1, 2]) == "1, 2"


def test_arrow_points_to_what_follows():
    assert render("{% arrow %}") == "←"
    assert render("{% arrow %}", "fr") == "→"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_date_fields_show_iso_and_read_a_typed_day_first(language):
    """<input type="date"> needs ISO in both languages (French showed 03/02/1990, which the
    browser drops); "03/02/1990" typed by hand is the 3rd of February, never 2 March."""
    from django import forms

    class Form(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override(language):
        shown = str(Form(initial={"day": datetime.date(1990, 2, 3)})["day"])
        typed = Form({"day": "03/02/1990"})
        assert typed.is_valid(), typed.errors
    assert 'value="1990-02-03"' in shown
    assert typed.cleaned_data["day"] == datetime.date(1990, 2, 3)
