"""The consent ledger (law 09-08 art. 10): per purpose and channel, what a person agreed to, when,
how, on which version of the text and who collected it; a withdrawal closes a line (never deletes
it). The ledger exports as evidence, for one person or a list, with the organisation's CNDP
declaration reference (deliberation 108-2015).
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from abwab.core.dates import moment
from abwab.core.errors import ErrorCode
from abwab.core.scope import require_change, visible_to
from abwab.people.models import (
    Consent,
    ConsentChannel,
    ConsentMedium,
    ConsentPurpose,
    Person,
)
from abwab.people.services import CONSENT_TEXT_VERSION, consent_withdraw

# The communication purposes, each given per channel (membership has no channel).
COMMUNICATION_PURPOSES = [
    ConsentPurpose.CONVOCATIONS,
    ConsentPurpose.CONTACT,
    ConsentPurpose.NEWS,
]


# How a withdrawal came, as the ledger and the evidence say it (codes written by the services).
WITHDRAWN_VIA = {
    "record": _lazy("recorded on the person's record"),
    "unsubscribe_link": _lazy("the unsubscribe link of an email"),
    "sms_stop": _lazy("an SMS reply STOP"),
}


def withdrawn_via_label(code: str) -> str:
    """A withdrawal's channel in words (an unknown code shows as it is stored)."""
    return str(WITHDRAWN_VIA.get(code, code))


@dataclass(frozen=True)
class LedgerLine:
    """One purpose on one channel: the consent in force (if any) and its history."""

    purpose: str
    medium: str
    current: Consent | None
    history: list[Consent]

    @property
    def purpose_label(self) -> str:
        return ConsentPurpose(self.purpose).label

    @property
    def medium_label(self) -> str:
        return ConsentMedium(self.medium).label if self.medium else "—"


def consent_in_force(person: Person, *, purpose: str, medium: str = "") -> Consent | None:
    """The person's consent for this purpose on this channel, if one is in force now."""
    return (
        person.consents.filter(purpose=purpose, medium=medium, withdrawn_at__isnull=True)
        .order_by("-given_at")
        .first()
    )


def consent_ledger(person: Person) -> list[LedgerLine]:
    """The ledger as the person's page shows it: membership, then each purpose × channel."""
    consents = list(person.consents.select_related("collected_by", "withdrawn_by"))
    keys = [(ConsentPurpose.MEMBERSHIP.value, "")] + [
        (purpose.value, medium.value)
        for purpose in COMMUNICATION_PURPOSES
        for medium in ConsentMedium
    ]
    lines = []
    for purpose, medium in keys:
        history = [c for c in consents if c.purpose == purpose and c.medium == medium]
        if purpose == ConsentPurpose.MEMBERSHIP and not history:
            continue
        for consent in history:
            consent.via_label = withdrawn_via_label(consent.withdrawn_via)
        current = next((c for c in history if c.withdrawn_at is None), None)
        lines.append(LedgerLine(purpose, medium, current, history))
    return lines


@transaction.atomic
def consent_give(
    *,
    actor,
    person: Person,
    purpose: str,
    medium: str,
    channel: str,
    text_version: str = CONSENT_TEXT_VERSION,
) -> Consent:
    """Record a communication consent on one channel, as collected by `actor`; a consent already
    in force for the same purpose and channel is kept as it is (one line in force at a time)."""
    require_change(actor, person, _("You cannot change this person's consents."))
    if purpose not in COMMUNICATION_PURPOSES or medium not in ConsentMedium.values:
        raise ValidationError(_("Choose a purpose and a channel."), code=ErrorCode.INVALID_INPUT)
    if channel not in ConsentChannel.values:
        raise ValidationError(_("Say how the consent was given."), code=ErrorCode.INVALID_INPUT)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one writer per person
    if existing := consent_in_force(person, purpose=purpose, medium=medium):
        return existing
    consent = Consent(
        person=person,
        purpose=purpose,
        medium=medium,
        channel=channel,
        text_version=(text_version or CONSENT_TEXT_VERSION)[:20],
        collected_by=actor,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw_recorded(*, actor, consent: Consent, via: str = "record") -> Consent:
    """Withdraw a consent from the person's record (or any other way `via` names: "unsubscribe",
    "sms_stop", "desk"…); withdrawing the membership consent ends the membership."""
    if actor is not None:
        require_change(actor, consent, _("You cannot change this person's consents."))
    already = consent.withdrawn_at is not None
    consent = consent_withdraw(actor=actor, consent=consent)
    if not already and not consent.withdrawn_via:
        consent.withdrawn_via = via[:30]
        consent.save(update_fields=["withdrawn_via"])
    return consent


# Evidence: one row per consent line, the same columns in CSV and PDF.


def evidence_header() -> list[str]:
    return [
        _("Person number"),
        _("Name"),
        _("Purpose"),
        _("Channel"),
        _("Text version"),
        _("Given at"),
        _("Collected"),
        _("Collected by"),
        _("Withdrawn at"),
        _("Withdrawn through"),
        _("Withdrawal recorded by"),
    ]


def evidence_consents(*, actor, people: QuerySet) -> QuerySet:
    """The consents of these people the actor may read, in person then time order."""
    consents = Consent.objects.filter(person__in=people).select_related(
        "person", "collected_by", "withdrawn_by"
    )
    return visible_to(actor, consents).order_by("person_id", "given_at", "pk")


def evidence_rows(consents: Iterable[Consent]) -> Iterator[list[str]]:
    for consent in (
        consents.iterator(chunk_size=2000) if hasattr(consents, "iterator") else consents
    ):
        person = consent.person
        yield [
            str(person.pk),
            " ".join(filter(None, [person.first_name_ar, person.last_name_ar]))
            or " ".join(filter(None, [person.first_name_latin, person.last_name_latin])),
            consent.get_purpose_display(),
            consent.get_medium_display() if consent.medium else "—",
            consent.text_version,
            moment(timezone.localtime(consent.given_at)),
            consent.get_channel_display(),
            consent.collected_by.get_username() if consent.collected_by else "",
            moment(timezone.localtime(consent.withdrawn_at)) if consent.withdrawn_at else "",
            withdrawn_via_label(consent.withdrawn_via) if consent.withdrawn_via else "",
            consent.withdrawn_by.get_username() if consent.withdrawn_by else "",
        ]


def cndp_reference() -> str:
    """The organisation's CNDP declaration reference, or a visible placeholder when not set."""
    return settings.ABWAB_CNDP_REFERENCE or _("(CNDP declaration reference not set)")


def evidence_csv(consents) -> Iterator[str]:
    """The evidence as CSV text, streamed: a heading line with the CNDP reference, then rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    buffer.write("\ufeff")  # spreadsheet programs read the Arabic as UTF-8
    writer.writerow([_("CNDP declaration"), cndp_reference()])
    writer.writerow([_("Exported at"), moment(timezone.localtime())])
    writer.writerow(evidence_header())
    yield flush()
    for row in evidence_rows(consents):
        writer.writerow(row)
        yield flush()


def evidence_pdf(consents, *, title: str, base_url: str) -> bytes:
    """The evidence as a PDF (WeasyPrint, Arabic shaped with the installed fonts)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "people/consent_evidence_pdf.html",
        {
            "title": title,
            "cndp": cndp_reference(),
            "exported_at": timezone.localtime(),
            "header": evidence_header(),
            "rows": list(evidence_rows(consents)),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf()
