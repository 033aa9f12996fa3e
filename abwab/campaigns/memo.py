"""The campaign memo sent to the secretariats below (each office holder by email and SMS, with a
personal read link), reminders to those who have not read it, and who has.

Consent: the memo is internal service communication to office holders about their function, the
same nature as a meeting convocation; it needs the office holder's consent to convocations on the
channel (purpose CONVOCATIONS), never the party-news one.

The read link carries the reading's id signed with the site's secret; it opens the memo and a
button that records the reading (a mail scanner opening the link records nothing).
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from abwab.campaigns.models import Campaign, CampaignStatus, MemoReading
from abwab.core.errors import ErrorCode
from abwab.core.scope import can_add, visible_to
from abwab.people.models import ConsentPurpose, Position
from abwab.territory.models import BodyKind, Territory

READ_SALT = "abwab.campaigns.memo"
SECRETARIATS = (
    BodyKind.REGIONAL_SECRETARIAT,
    BodyKind.PROVINCIAL_SECRETARIAT,
    BodyKind.LOCAL_SECRETARIAT,
)


def read_token(reading: MemoReading) -> str:
    return signing.dumps([reading.campaign_id, reading.pk], salt=READ_SALT, compress=True)


def reading_from_token(token: str) -> MemoReading | None:
    """The reading a link names, or None when the token was altered or forged."""
    try:
        campaign_id, reading_id = signing.loads(token, salt=READ_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        MemoReading.objects.select_related("campaign", "person", "body")
        .filter(pk=reading_id, campaign_id=campaign_id)
        .first()
    )


def read_url(reading: MemoReading, *, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("campaigns:memo_read", args=[read_token(reading)])


@transaction.atomic
def memo_mark_read(*, reading: MemoReading) -> MemoReading:
    """Record that the office holder read the memo (the first time counts)."""
    reading = MemoReading.objects.select_for_update().get(pk=reading.pk)
    if reading.read_at is None:
        reading.read_at = timezone.now()
        reading.save(update_fields=["read_at"])
    return reading


def office_holders_below(*, actor, node: Territory) -> QuerySet[Position]:
    """The current office holders of the secretariats strictly below `node` the actor may see."""
    today = timezone.localdate()
    positions = (
        Position.objects.filter(
            body__kind__in=SECRETARIATS,
            body__territory__path__startswith=node.path,
            starts_on__lte=today,
        )
        .exclude(body__territory=node)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("person", "body__territory")
        .order_by("body__territory__path", "rank", "pk")
    )
    return visible_to(actor, positions)


def memo_readings(*, actor, campaign: Campaign, node: Territory) -> QuerySet[MemoReading]:
    """Who the memo went to below `node`, and who has read it (the actor's scope)."""
    readings = MemoReading.objects.filter(
        campaign=campaign, body__territory__path__startswith=node.path
    ).select_related("person", "body__territory")
    return visible_to(actor, readings)


def _texts(campaign: Campaign, *, reminder: bool) -> dict[str, str]:
    texts = {}
    for language in ("ar", "fr"):
        with translation.override(language):
            name = (campaign.name_fr or campaign.name_ar) if language == "fr" else campaign.name_ar
            values = {"campaign": name}
            subject = (
                _("Reminder: the memo of the campaign %(campaign)s")
                if reminder
                else _("The memo of the campaign %(campaign)s")
            ) % values
            body = "\n".join(
                [
                    (
                        _("You have not yet read the memo of the campaign %(campaign)s.")
                        if reminder
                        else _("The memo of the campaign %(campaign)s is out.")
                    )
                    % values,
                    _("Read it and confirm here: %(link)s") % {"link": "{read_url}"},
                ]
            )
            texts[f"subject_{language}"], texts[f"body_{language}"] = subject, body
    return texts


def _to_write_to(*, actor, campaign: Campaign, node: Territory) -> list[Position]:
    """Whom the memo goes to: the office holders below `node` who have not read it yet (the one
    rule both the send and its cost shown beforehand follow)."""
    read = set(
        MemoReading.objects.filter(campaign=campaign, read_at__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    return [
        position
        for position in office_holders_below(actor=actor, node=node)
        if position.person_id not in read
    ]


def memo_cost(*, actor, campaign: Campaign, node: Territory, base_url: str):
    """What the memo's SMS will cost, shown beside "Send the memo": the texts as they will go
    (a read link of the real form), the office holders below who have not read it yet and will
    get an SMS (a phone and a consent to convocations by SMS); None when there is nobody."""
    from abwab.messaging.cost import sms_cost

    if campaign.status != CampaignStatus.LAUNCHED:
        return None
    people = {
        position.person_id: position.person
        for position in _to_write_to(actor=actor, campaign=campaign, node=node)
    }
    if not people:
        return None
    last = MemoReading.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample = MemoReading(pk=last + len(people), campaign_id=campaign.pk)  # a link as long
    return sms_cost(
        _texts(campaign, reminder=False),
        list(people.values()),
        ConsentPurpose.CONVOCATIONS,
        context={"read_url": read_url(sample, base_url=base_url)},
    )


def memo_send(*, actor, campaign: Campaign, node: Territory, base_url: str, reminder=False):
    """Queue the memo (or a reminder to those who have not read it) to the office holders of the
    secretariats below `node`; returns the send, or None when there is nobody to write to."""
    from abwab.messaging.models import Send, SendKind

    if campaign.status != CampaignStatus.LAUNCHED:
        raise ValidationError(_("The campaign has not been launched."), code=ErrorCode.NOT_LAUNCHED)
    if not can_add(actor, Send, path=node.path):
        raise ValidationError(
            _("You cannot send messages for this territory."), code=ErrorCode.FORBIDDEN
        )
    now = timezone.now()
    with transaction.atomic():
        if reminder:
            readings = list(
                memo_readings(actor=actor, campaign=campaign, node=node).filter(
                    read_at__isnull=True
                )
            )
            MemoReading.objects.filter(pk__in=[r.pk for r in readings]).update(reminded_at=now)
        else:
            readings = []
            for position in _to_write_to(actor=actor, campaign=campaign, node=node):
                reading, _created = MemoReading.objects.get_or_create(
                    campaign=campaign,
                    person=position.person,
                    defaults={"body": position.body, "sent_at": now},
                )
                if reading not in readings:
                    readings.append(reading)
        if not readings:
            return None
        send = Send(
            kind=SendKind.MEMO_REMINDER if reminder else SendKind.MEMO,
            purpose=ConsentPurpose.CONVOCATIONS,
            by_email=True,
            by_sms=True,
            territory=node,
            about=f"campaigns.campaign:{campaign.pk}",
            filters={"campaign": campaign.pk, "below": node.code},
            created_by=actor,
            **_texts(campaign, reminder=reminder),
        )
        send.full_clean()
        send.save()
        recipients = [
            (reading.person_id, {"read_url": read_url(reading, base_url=base_url)})
            for reading in readings
        ]
        _queue(actor=actor, send=send, recipients=recipients)
    return send


def _queue(*, actor, send, recipients):
    """The one call into the sending engine for the memo and its reminders."""
    from abwab.messaging.delivery import deliver

    return deliver(actor=actor, send=send, recipients=recipients, recipients_from_object=True)
