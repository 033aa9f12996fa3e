"""The desk's side of pre-registrations, through its pages: the list, "Arrived", the receipt's
number typed or scanned, and the prefilled sign-up completing the arrival's check-in."""

import pytest
from django.urls import reverse

from abwab.campaigns.models import CheckIn, PreRegistration, PreRegistrationStatus
from abwab.campaigns.prereg import checkin_key
from abwab.campaigns.tests.test_prereg import joins, make_prereg, open_today, visits
from abwab.people.models import Membership
from conftest import in_arabic

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(places):
    place = places["taounate_a"]
    open_today(place.event)
    return place


def test_the_desk_lists_todays_preregistrations_with_one_button_each(client, desk, actors):
    make_prereg(desk.event, "K7QX2M9A", name="Salma Bennani", wants_to_join=True)
    client.force_login(actors.volunteer)
    page = client.get(reverse("campaigns:door", args=[desk.event.pk])).content.decode()
    assert "Salma Bennani" in page and 'value="K7QX2M9A"' in page
    assert '<bdi dir="ltr">+212661234567</bdi>' in page
    assert in_arabic("asks to join") in page
    assert 'id="receipt-code"' in page
    searched = client.get(reverse("campaigns:door", args=[desk.event.pk]), {"q": "nobody"})
    assert "Salma Bennani" not in searched.content.decode()


def test_arrived_for_information_records_the_visit_once(client, desk, actors):
    make_prereg(desk.event, "INFO0001", name="Karim Tazi")
    before = visits(desk)
    client.force_login(actors.volunteer)
    url = reverse("campaigns:door_arrive", args=[desk.event.pk])
    first = client.post(url, {"code": "INFO0001"})
    assert first.status_code == 302 and first["Location"].endswith(f"/events/{desk.event.pk}/door/")
    client.post(url, {"code": "http://testserver/open-doors/receipt/INFO0001/"})
    assert CheckIn.objects.filter(client_key=checkin_key("INFO0001")).count() == 1
    assert visits(desk) == before + 1


def test_an_unknown_or_other_places_code_says_not_found(client, desk, places, actors):
    meknes = places["meknes"]
    open_today(meknes.event)
    make_prereg(meknes.event, "MEKNES01")
    client.force_login(actors.volunteer)
    response = client.post(
        reverse("campaigns:door_arrive", args=[desk.event.pk]), {"code": "MEKNES01"}, follow=True
    )
    assert in_arabic("No pre-registration with this receipt number for this event.") in (
        response.content.decode()
    )
    # Nor may the desk be sent to open it for a sign-up.
    page = client.get(reverse("campaigns:door", args=[desk.event.pk]), {"prereg": "MEKNES01"})
    assert 'name="prereg"' not in page.content.decode()
    assert PreRegistration.objects.get(code="MEKNES01").status == PreRegistrationStatus.EXPECTED
    # Another office's desk is not reachable at all.
    theirs = client.post(reverse("campaigns:door_arrive", args=[meknes.event.pk]), {"code": "x"})
    assert theirs.status_code == 404


def test_arrived_for_joining_opens_the_signup_prefilled_and_completes_that_visit(
    client, desk, actors
):
    make_prereg(desk.event, "JOIN0001", name="Salma Bennani", wants_to_join=True)
    visits_before, joins_before = visits(desk), joins(desk)
    client.force_login(actors.volunteer)
    arrived = client.post(
        reverse("campaigns:door_arrive", args=[desk.event.pk]), {"code": "JOIN0001"}
    )
    assert arrived["Location"].endswith("?prereg=JOIN0001#signup")
    page = client.get(arrived["Location"]).content.decode()
    assert 'name="prereg" value="JOIN0001"' in page
    assert 'value="Salma Bennani"' in page and 'value="+212661234567"' in page
    assert f'value="{checkin_key("JOIN0001")}"' in page
    # No member without the volunteer's sign-up with consent: still none after "Arrived".
    assert not Membership.objects.filter(person__first_name_latin="Salma").exists()
    form = {
        "client_key": checkin_key("JOIN0001"),
        "prereg": "JOIN0001",
        "name": "Salma Bennani",
        "phone": "+212661234567",
        "territory": desk.node.pk,
        "purpose": "membership",
        "signup-birth_date": "1990-02-03",
        "signup-consent": "on",
    }
    # Signed up by another account at the desk (the local secretary), twice.
    client.force_login(actors.local)
    done = client.post(reverse("campaigns:door", args=[desk.event.pk]), form)
    assert done.status_code == 302 and "/campaigns/cards/" in done["Location"]
    client.post(reverse("campaigns:door", args=[desk.event.pk]), form)
    assert CheckIn.objects.filter(event=desk.event, name="Salma Bennani").count() == 1
    assert Membership.objects.filter(person__first_name_latin="Salma").count() == 1
    assert (visits(desk), joins(desk)) == (visits_before + 1, joins_before + 1)
