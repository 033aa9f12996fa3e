"""Who may be written to: the consents in force per purpose and channel (law 09-08 art. 10), read
at queue time and again right before each hand-over, and the one-click withdrawal of the link in
every email."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from abwab.people.models import Consent

WITHDRAWN_VIA_LINK = "unsubscribe_link"


def consent_in_force(*, person_id: int, purpose: str, medium: str) -> bool:
    """Whether the person has, right now, a consent in force for `purpose` on `medium`."""
    return Consent.objects.filter(
        person_id=person_id, purpose=purpose, medium=medium, withdrawn_at__isnull=True
    ).exists()


def people_with_consent(*, person_ids: Iterable[int], purpose: str, medium: str) -> set[int]:
    """Of these persons, those with a consent in force for `purpose` on `medium` (one query)."""
    return set(
        Consent.objects.filter(
            person_id__in=list(person_ids),
            purpose=purpose,
            medium=medium,
            withdrawn_at__isnull=True,
        ).values_list("person_id", flat=True)
    )


@transaction.atomic
def consent_withdraw_by_link(*, person_id: int, purpose: str, medium: str) -> int:
    """Withdraw at once the person's consents in force for `purpose` on `medium` (the unsubscribe
    link or the mail client's one-click button); how many were withdrawn (0 when already none)."""
    return Consent.objects.filter(
        person_id=person_id, purpose=purpose, medium=medium, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now(), withdrawn_by=None, withdrawn_via=WITHDRAWN_VIA_LINK)
