"""What the door records about a person (check-ins), for the law 09-08 duties of
`abwab.people.privacy`: registered there in this app's ready, so that people never imports
campaigns."""

import datetime

from abwab.campaigns.models import CheckIn
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


def visitors_purge(cutoff: datetime.datetime) -> int:
    """Clear the name and phone of check-ins before `cutoff` of visitors who were not recorded as
    persons; returns how many were cleared."""
    return (
        CheckIn.objects.filter(at__lt=cutoff, person__isnull=True)
        .exclude(name="")
        .update(name="", phone="")
    )
