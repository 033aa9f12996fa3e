"""An event's roster names its volunteers only to those who may read names."""

import datetime

import pytest
from django.urls import reverse

from abwab.campaigns.selectors import event_roster
from abwab.campaigns.services import shift_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def shift(actors, places):
    """Taounate A's door staffed by one of its members, named for the assertions."""
    place = places["taounate_a"]
    person = place.person
    person.first_name_ar, person.last_name_ar = "رشيدة", "المتطوعة"
    person.save(update_fields=["first_name_ar", "last_name_ar"])
    return shift_add(
        actor=actors.taounate,
        event=place.event,
        volunteer=person,
        day=place.event.starts_on,
        starts_at=datetime.time(9),
        ends_at=datetime.time(13),
    )


def test_a_media_officer_sees_the_shift_but_not_who_holds_it(client, actors, shift):
    client.force_login(actors.media)
    page = client.get(reverse("campaigns:event", args=[shift.event.pk])).content.decode()
    assert "09:00–13:00" in page
    assert "رشيدة" not in page and "المتطوعة" not in page
    (line,) = event_roster(actor=actors.media, event=shift.event)
    assert (line.day, line.starts_at, line.volunteer) == (shift.day, datetime.time(9), None)


def test_the_secretary_sees_who_holds_the_shift(client, actors, shift):
    client.force_login(actors.taounate)
    page = client.get(reverse("campaigns:event", args=[shift.event.pk])).content.decode()
    assert "09:00–13:00" in page and "رشيدة" in page
    (line,) = event_roster(actor=actors.taounate, event=shift.event)
    assert line.volunteer == shift.volunteer
