"""A member's history reads in the page's language: reasons the system wrote (stored in the
language of the request that wrote them) are translated back, and people are named, not shown by
their username."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from abwab.people.models import MembershipChange
from abwab.people.models.memberships import reason_display
from conftest import in_arabic

pytestmark = pytest.mark.django_db


def in_french(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def test_a_french_page_shows_the_reason_in_french_and_the_secretarys_name(client, actors, places):
    actors.taounate.first_name, actors.taounate.last_name = "Nadia", "Alaoui"
    actors.taounate.save()
    membership = places["taounate_a"].membership
    MembershipChange.objects.create(
        membership=membership,
        from_status="active",
        to_status="active",
        by=actors.taounate,
        reason=in_arabic("Joined"),  # as an Arabic request wrote it
    )
    client.force_login(actors.taounate)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("people:detail", args=[membership.person.pk])).content.decode()
    assert f"({in_french('Joined')})" in page
    if in_arabic("Joined") != "Joined":
        assert in_arabic("Joined") not in page
    assert "Nadia Alaoui" in page and "· taounate<" not in page


def test_reasons_people_typed_are_kept_as_typed():
    with translation.override("fr"):
        assert reason_display("absence prolongée") == "absence prolongée"
        assert reason_display("Joined") == in_french("Joined")
        assert reason_display(in_arabic("Consent withdrawn")) == in_french("Consent withdrawn")


def test_users_are_named_by_their_full_name(actors):
    assert str(actors.volunteer) == "volunteer"  # no name known: the username
    actors.volunteer.first_name, actors.volunteer.last_name = "أمين", "الفاسي"
    assert str(actors.volunteer) == "أمين الفاسي"
