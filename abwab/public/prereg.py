"""Pre-registrations sent from the public pages: what an accepted one becomes (a pre-registration
of the campaigns app, numbered by its receipt), and what its receipt page may show (the event, the
day, the office's address: never the name or the phone)."""

import datetime
from dataclasses import dataclass

from abwab.campaigns.models import Event
from abwab.campaigns.prereg import prereg_create
from abwab.public import selectors
from abwab.public.models import PublicSubmission, SubmissionKind, SubmissionStatus
from abwab.territory.models import Territory


def prereg_payload(*, event: Event, data: dict, consent_version: str, consent_at) -> dict:
    """What a held pre-registration keeps until a moderator decides (JSON)."""
    return {
        "event": event.pk,
        "name": data["name"],
        "phone": data["phone"],
        "purpose": data["purpose"],
        "note": data["note"],
        "expected_on": data["expected_on"].isoformat() if data["expected_on"] else "",
        "consent_at": consent_at.isoformat(),
        "consent_version": consent_version,
    }


def prereg_accept(submission: PublicSubmission) -> None:
    """The acceptor of pre-registrations (registered with `abwab.public.submissions`)."""
    data = submission.payload
    event = Event.objects.select_related("office__territory").get(pk=data["event"])
    expected = data.get("expected_on")
    submission.preregistration = prereg_create(
        event=event,
        territory=Territory.objects.get(pk=submission.territory_id),
        name=data["name"],
        phone=data["phone"],
        purpose=data["purpose"],
        wants_to_join=False,  # read from the purpose ("to join")
        note=data.get("note", ""),
        expected_on=datetime.date.fromisoformat(expected) if expected else None,
        consent_version=data["consent_version"],
        consent_at=datetime.datetime.fromisoformat(data["consent_at"]),
        code=submission.receipt,
    )


@dataclass(frozen=True)
class Receipt:
    """What a pre-registration's receipt shows: the number, the event and the expected day."""

    code: str
    event: Event
    expected_on: datetime.date | None


def receipt_for(code: str) -> Receipt | None:
    """The receipt of a pre-registration sent from the public pages, held or accepted (the sender
    sees the same either way), for a public event; None otherwise."""
    submission = (
        PublicSubmission.objects.filter(kind=SubmissionKind.PREREGISTRATION, receipt=code)
        .select_related("preregistration")
        .first()
    )
    if submission is None:
        return None
    if submission.status == SubmissionStatus.ACCEPTED and submission.preregistration:
        event_id = submission.preregistration.event_id
        expected_on = submission.preregistration.expected_on
    elif submission.status == SubmissionStatus.HELD and submission.payload.get("event"):
        event_id = submission.payload["event"]
        raw = submission.payload.get("expected_on")
        expected_on = datetime.date.fromisoformat(raw) if raw else None
    else:
        return None
    event = selectors.public_event_or_none(event_id)
    if event is None:
        return None
    return Receipt(code=submission.receipt, event=event, expected_on=expected_on)
