"""Answers to the citizens who asked for one, and the dossier's milestones: when a dossier is
carried somewhere or answered, each concern of it whose contact wants an answer is told by SMS.

A concern keeps its contact (name, phone, when they agreed to be contacted). To write to them the
contact becomes a person of the commune (a visitor: "anyone we know of") with that consent in the
ledger, purpose CONTACT on SMS, given when the concern was recorded, so the engine checks it like
any other and the evidence export shows it; a withdrawal (STOP) is honoured at once. A contact
already known at that phone in the commune is reused, not doubled.
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from abwab.listening.models import Concern, Dossier, DossierStatus
from abwab.people.models import Consent, ConsentChannel, ConsentMedium, ConsentPurpose, Person
from abwab.people.services import CONSENT_TEXT_VERSION, person_create


def contacts_wanting_answer(dossier: Dossier):
    """The dossier's concerns whose citizen asked to be answered and agreed to be contacted."""
    return dossier.concerns.filter(wants_answer=True, contact_consent_at__isnull=False).exclude(
        contact_phone=""
    )


def contact_person(concern: Concern) -> Person:
    """The person to write to about a concern, with the CONTACT consent it recorded (on SMS)."""
    person = (
        Person.objects.live()
        .filter(phone=concern.contact_phone, territory=concern.territory)
        .order_by("pk")
        .first()
    )
    if person is None:
        person = person_create(
            actor=None,
            territory=concern.territory,
            office=concern.office,
            first_name_ar=concern.contact_name[:100],
            phone=concern.contact_phone,
        )
    consents = Consent.objects.filter(
        person=person, purpose=ConsentPurpose.CONTACT, medium=ConsentMedium.SMS
    )
    # The concern's consent enters the ledger once (and a later withdrawal is never overridden).
    if not consents.filter(given_at=concern.contact_consent_at).exists():
        consent = Consent(
            person=person,
            purpose=ConsentPurpose.CONTACT,
            medium=ConsentMedium.SMS,
            text_version=CONSENT_TEXT_VERSION,
            given_at=concern.contact_consent_at,
            channel=ConsentChannel.DOOR if concern.event_id else ConsentChannel.ONLINE,
            collected_by=concern.recorded_by,
        )
        consent.full_clean()
        consent.save()
    return person


def _texts(dossier: Dossier, status: str) -> dict[str, str]:
    texts = {}
    for language in ("ar", "fr"):
        with translation.override(language):
            category = dossier.category
            values = {
                "category": (category.name_fr if language == "fr" else category.name_ar)
                or str(category),
                "commune": (
                    dossier.territory.name_fr if language == "fr" else dossier.territory.name_ar
                ),
                "status": str(DossierStatus(status).label),
            }
            subject = _("Your concern (%(category)s, %(commune)s)") % values
            if status == DossierStatus.ANSWERED:
                body = _("Your concern (%(category)s, %(commune)s) got an answer: %(answer)s") % {
                    **values,
                    "answer": dossier.answer,
                }
            else:
                body = _("Your concern (%(category)s, %(commune)s): %(status)s.") % values
            texts[f"subject_{language}"], texts[f"body_{language}"] = subject, body
    return texts


def dossier_news_send(*, actor, dossier: Dossier, status: str):
    """Queue the answer (or the milestone) to each contact of the dossier who asked for one; those
    whose consent was withdrawn are refused by the engine. None when nobody asked."""
    from abwab.messaging.models import Send, SendKind

    concerns = list(contacts_wanting_answer(dossier).select_related("territory", "office"))
    if not concerns or status == DossierStatus.OPEN:
        return None
    with transaction.atomic():
        people = {contact_person(concern).pk: concern for concern in concerns}
        send = Send(
            kind=SendKind.ANSWER if status == DossierStatus.ANSWERED else SendKind.MILESTONE,
            purpose=ConsentPurpose.CONTACT,
            by_sms=True,
            territory=dossier.territory,
            about=f"listening.dossier:{dossier.pk}",
            filters={"dossier": dossier.pk, "status": status},
            created_by=actor,
            **_texts(dossier, status),
        )
        send.full_clean(exclude=["created_by"])
        send.save()
        _queue(actor=actor, send=send, recipients=[(pk, {}) for pk in people])
    return send


def _queue(*, actor, send, recipients):
    """The one call into the sending engine for answers and milestones."""
    from abwab.messaging.delivery import deliver

    return deliver(actor=actor, send=send, recipients=recipients, recipients_from_object=True)


@transaction.atomic
def dossier_advance(*, actor, dossier: Dossier, status: str, note: str = "", answer: str = ""):
    """Record where the dossier was carried or the answer obtained (listening.services), and tell
    the citizens who asked for an answer."""
    from abwab.listening.services import dossier_set_status

    previous = dossier.status
    dossier = dossier_set_status(
        actor=actor, dossier=dossier, status=status, note=note, answer=answer
    )
    if status != previous or (status == DossierStatus.ANSWERED and answer):
        dossier_news_send(actor=actor, dossier=dossier, status=status)
    return dossier
