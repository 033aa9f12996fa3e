"""The web desk on a phone (issue 15): errors summed up at the top, the duplicate warning first,
the name typed once, lists in the page's language, and the next visitor one tap away."""

import re

import pytest
from django.conf import settings

from abwab.listening.models import Category
from abwab.people.models import Membership, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, actors, places):
    client.force_login(actors.volunteer)
    event = places["taounate_a"].event
    url = f"/campaigns/events/{event.pk}/door/"

    def post(key="desk-0001", **data):
        form = {"client_key": key, "territory": event.office.territory.pk, **data}
        return client.post(url, form)

    post.url, post.event, post.client = url, event, client
    return post


def signup(**data):
    return {"name": "نادية البقالي", "purpose": "membership", "signup-consent": "on", **data}


def test_errors_are_summed_up_at_the_top_with_links_to_their_fields(desk):
    members = Membership.objects.count()
    page = desk(name="", purpose="membership").content.decode()
    summary = page.index('id="error-summary"')
    assert summary < page.index('name="name"')
    links = re.findall(r'<a href="#([\w-]+)">', page[summary : page.index("</section>", summary)])
    assert links == ["id_name", "id_signup-consent"]
    page = desk(**signup(**{"signup-consent": ""})).content.decode()
    summary = page.index('id="error-summary"')
    assert 'href="#id_signup-consent"' in page[summary : page.index("</section>", summary)]
    assert Membership.objects.count() == members


def test_a_refused_identifier_is_summed_up_beside_its_field(desk):
    page = desk(**signup(**{"signup-cin": "12"})).content.decode()
    summary = page.index('id="error-summary"')
    assert 'href="#id_signup-cin"' in page[summary : page.index("</section>", summary)]


def test_the_duplicate_warning_comes_before_the_fields(desk, places):
    assert desk(**signup(phone="0612345678")).status_code == 302
    page = desk("desk-0002", **signup(phone="0612345678")).content.decode()
    assert page.index('id="duplicate-warning"') < page.index('name="name"')
    assert Person.objects.filter(last_name_ar="البقالي").count() == 1


def test_the_name_is_typed_once(desk):
    answer = desk(**signup(name="  نادية   البقالي الإدريسي "))
    assert answer.status_code == 302
    person = Person.objects.get(last_name_ar="البقالي الإدريسي")
    assert (person.first_name_ar, person.first_name_latin) == ("نادية", "")
    desk("desk-0002", **signup(name="Omar Zyani"))
    assert Person.objects.filter(first_name_latin="Omar", last_name_latin="Zyani").count() == 1


def test_after_a_signup_the_next_visitor_is_one_tap_away(desk):
    answer = desk(**signup())
    card = desk.client.get(answer.url).content.decode()
    link = re.search(r'<a class="button big" id="next-visitor" href="([^"]+)" autofocus>', card)
    assert link and link.group(1) == desk.url
    empty = desk.client.get(link.group(1)).content.decode()
    assert re.search(r'<input type="text" name="name"[^>]*autofocus', empty)
    assert 'value="نادية' not in empty


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [label for value, label in re.findall(r'value="(\d+)"[^>]*>([^<]+)<', select)]


def _in_order(names: list[str]) -> bool:
    """Sorted by first letter (what every collation agrees on for Arabic and French)."""
    firsts = [name.strip()[0].lower() for name in names]
    return firsts == sorted(firsts)


def test_communes_and_categories_are_listed_by_their_names_in_the_page_language(desk, client):
    arabic = client.get(desk.url).content.decode()
    communes = _options(arabic, "territory")
    assert len(communes) > 5 and _in_order(communes)
    assert all(re.search("[\u0600-\u06ff]", name) for name in communes)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(desk.url).content.decode()
    assert _in_order(_options(french, "territory"))
    concern = f"/listening/concerns/new/?event={desk.event.pk}"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    categories = _options(client.get(concern).content.decode(), "category")
    assert len(categories) == Category.objects.filter(active=True).count() > 3
    assert _in_order(categories)
