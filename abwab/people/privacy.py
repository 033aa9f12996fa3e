"""Law 09-08 duties: a person's data for them (right of access), anonymisation in place when they
object or ask for erasure, and the purge of visitors who did not join once the retention ends.

What other apps record about a person (campaigns: their visits at the door) comes in through
`register_personal_data`, which those apps call in their AppConfig.ready: a person exists before
and after any campaign, so this app never imports them."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from abwab.people.models import Consent, Mandate, Membership, Person, Position
from abwab.people.tallies import member_counts_track


@dataclass(frozen=True)
class PersonalData:
    """What another app records about persons: `export(person)` lists it for them (a list of
    dicts), `erase(person)` clears who they are from it (in the anonymisation's transaction), and
    `purge(cutoff)` clears what it holds about visitors not recorded as persons, recorded before
    `cutoff` (returns how many records it cleared)."""

    key: str
    export: Callable[[Person], list[dict]]
    erase: Callable[[Person], None]
    purge: Callable[[datetime.datetime], int]


_holders: dict[str, PersonalData] = {}


def register_personal_data(
    key: str,
    *,
    export: Callable[[Person], list[dict]],
    erase: Callable[[Person], None],
    purge: Callable[[datetime.datetime], int],
) -> None:
    """Have `person_data`, `person_anonymise` and `purge_visitors` cover another app's records
    (listed under `key` in the person's data)."""
    _holders[key] = PersonalData(key, export, erase, purge)


def person_data(person: Person) -> dict:
    """Everything recorded about a person, as they may ask to see it (right of access)."""
    memberships = Membership.objects.filter(person=person).prefetch_related("changes")
    return {
        "person": {
            "first_name_ar": person.first_name_ar,
            "last_name_ar": person.last_name_ar,
            "first_name_latin": person.first_name_latin,
            "last_name_latin": person.last_name_latin,
            "gender": person.gender,
            "birth_date": person.birth_date and person.birth_date.isoformat(),
            "cin": person.cin,
            "phone": person.phone,
            "email": person.email,
            "commune": person.territory.name_fr,
            "education": person.education,
            "profession": person.profession,
            "skills": list(person.skills.values_list("code", flat=True)),
            "languages": person.languages,
            "recorded_at": person.created_at.isoformat(),
        },
        "memberships": [
            {
                "card_number": m.card_number,
                "status": m.status,
                "joined_on": m.joined_on.isoformat(),
                "history": [
                    {
                        "at": c.at.isoformat(),
                        "from": c.from_status,
                        "to": c.to_status,
                        "reason": c.reason,
                    }
                    for c in m.changes.all()
                ],
            }
            for m in memberships
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "given_at": c.given_at.isoformat(),
                "channel": c.channel,
                "withdrawn_at": c.withdrawn_at and c.withdrawn_at.isoformat(),
            }
            for c in Consent.objects.filter(person=person)
        ],
        "positions": [
            {"body": str(p.body), "function": p.function, "starts_on": p.starts_on.isoformat()}
            for p in Position.objects.filter(person=person)
        ],
        "mandates": [
            {"institution": m.institution, "role": m.role, "starts_on": m.starts_on.isoformat()}
            for m in Mandate.objects.filter(person=person)
        ],
        **{key: holder.export(person) for key, holder in _holders.items()},
    }


@transaction.atomic
def person_anonymise(*, actor, person: Person) -> Person:
    """Erase who the person is, in place: names, identifiers and contact go; gender, birth year,
    commune and memberships stay, so every count and report keeps its totals."""
    with member_counts_track(person_ids=[person.pk]):  # the birth date changes (not its year)
        _anonymise(person)
    for holder in _holders.values():
        holder.erase(person)
    person.refresh_from_db()
    return person


def _anonymise(person: Person) -> None:
    person = Person.objects.select_for_update().get(pk=person.pk)
    year = person.birth_date.year if person.birth_date else None
    Person.objects.filter(pk=person.pk).update(
        first_name_ar="",
        last_name_ar="",
        first_name_latin="",
        last_name_latin="",
        cin=None,
        phone="",
        email="",
        profession="",
        languages=[],
        key_first="",
        key_last="",
        key_full="",
        birth_date=datetime.date(year, 7, 1) if year else None,
        anonymised_at=timezone.now(),
    )


def purge_visitors(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Anonymise visitors who never joined once the retention period has passed.

    Returns (check-ins cleared, persons anonymised). Run daily (cron or a systemd timer):
    `abwab purge_visitors`."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.VISITOR_RETENTION_DAYS)
    cleared = sum(holder.purge(cutoff) for holder in _holders.values())
    involved = (
        Exists(Membership.objects.filter(person=OuterRef("pk")))
        | Exists(Position.objects.filter(person=OuterRef("pk")))
        | Exists(Mandate.objects.filter(person=OuterRef("pk")))
    )
    visitors = Person.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True).exclude(
        involved
    )
    count = 0
    for person in visitors.iterator():
        person_anonymise(actor=None, person=person)
        count += 1
    return cleared, count
