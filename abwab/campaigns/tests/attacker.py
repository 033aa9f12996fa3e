"""What an attacker from Taounate may not learn of Meknès, nor change there: shared by the tests that
send Meknès's keys, ids, CINs and phones from a Taounate account."""

import hashlib
import json

from abwab.accounts.tokens import token_create
from abwab.campaigns.models import CheckIn
from abwab.listening.models import Concern
from abwab.people.models import Consent, DuplicateCluster, Membership, Person
from abwab.people.validation import clean_phone
from abwab.territory.models import Territory

MEKNES_CIN, MEKNES_PHONE = "MK123456", "0661234567"


def meknes_digest(place) -> str:
    """A digest of every row of Meknès's people, members, consents, check-ins and concerns, and of
    which records its review items hold: any change there changes it."""
    prefix = "/".join(place.node.path.split("/")[:3]) + "/"  # the province
    rows = [
        list(Person.objects.filter(territory__path__startswith=prefix).order_by("pk").values()),
        list(
            Membership.objects.filter(person__territory__path__startswith=prefix)
            .order_by("pk")
            .values()
        ),
        list(
            Consent.objects.filter(person__territory__path__startswith=prefix)
            .order_by("pk")
            .values()
        ),
        list(
            CheckIn.objects.filter(office__territory__path__startswith=prefix)
            .order_by("pk")
            .values()
        ),
        list(Concern.objects.filter(territory__path__startswith=prefix).order_by("pk").values()),
        list(
            DuplicateCluster.objects.filter(territory__path__startswith=prefix)
            .order_by("pk")
            .values("pk", "status", "people")
        ),
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


def meknes_secrets(place) -> list[str]:
    """Strings of Meknès that must appear in no answer to Taounate: names, card number, places,
    identifiers, the concern's words and key."""
    person = Person.objects.get(pk=place.person.pk)
    province = Territory.objects.get(path="/".join(place.node.path.split("/")[:3]) + "/")
    secrets = [
        person.last_name_latin,
        "twin-meknes",
        place.membership.card_number,
        place.node.name_ar,
        place.node.name_fr,
        province.name_ar,
        province.name_fr,
        place.concern.description,
    ]
    if person.cin:
        secrets.append(person.cin)
    return [s for s in secrets if s]


def leaked(text: str, place, typed: str = "") -> list[str]:
    """The secrets of `place` found in an answer (but those the attacker typed, which a form may
    show back to them)."""
    return [s for s in meknes_secrets(place) if s in text and s not in typed]


def meknes_with_identifiers(place) -> Person:
    """Meknès's member, given a CIN and a phone an attacker would try."""
    Person.objects.filter(pk=place.person.pk).update(
        cin=MEKNES_CIN, phone=clean_phone(MEKNES_PHONE)
    )
    return Person.objects.get(pk=place.person.pk)


def api_as(client, user):
    """A JSON poster with a token of `user`, as a script would send."""
    _token, value = token_create(user=user, name="attack")

    def post(url, body, **headers):
        return client.post(
            url,
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {value}",
            **headers,
        )

    return post
