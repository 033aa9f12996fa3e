"""What the door records about a person (check-ins), for the law 09-08 duties of
`abwab.people.privacy`: registered there in this app's ready, so that people never imports
campaigns."""

import datetime

from django.db.models import Q

from abwab.campaigns.models import CheckIn, PreRegistration
from abwab.people.models import Person


def person_visits(person: Person) -> list[dict]:
    """A person's visits at the door, as they may ask to see them (right of access)."""
    return [
        {"at": c.at.isoformat(), "office": str(c.office), "purpose": c.purpose}
        for c in CheckIn.objects.filter(person=person)
    ]


def visits_erase(person: Person) -> None:
    """The person's name and phone go from their check-ins (anonymisation)."""
    CheckIn.objects.filter(person=person).update(name="", phone="")
    PreRegistration.objects.filter(checkin__person=person).update(name="", phone="", note="")


def visitors_purge(cutoff: datetime.datetime) -> int:
    """Clear the name and phone of check-ins before `cutoff` of visitors who were not recorded as
    persons, and of pre-registrations (the public form's notice promises as much) once their visit
    or their event is that old; returns how many were cleared."""
    visits = (
        CheckIn.objects.filter(at__lt=cutoff, person__isnull=True)
        .exclude(name="")
        .update(name="", phone="")
    )
    announced = (
        PreRegistration.objects.filter(
            Q(arrived_at__lt=cutoff) | Q(event__ends_on__lt=cutoff.date())
        )
        .exclude(name="", phone="", note="")
        .update(name="", phone="", note="")
    )
    return visits + announced
