"""Writes to the listening app: record a concern, hand a dossier to elected members, follow it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.api.idempotency import replay
from abwab.campaigns.models import Event, EventStatus
from abwab.core.bidi import join_list
from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can, can_add
from abwab.listening.models import Category, Concern, Dossier, DossierChange, DossierStatus, Urgency
from abwab.people.models import Mandate
from abwab.people.validation import clean_phone
from abwab.territory.models import Level, Territory, ancestor_paths


def concern_record(
    *,
    actor,
    client_key: str,
    territory: Territory,
    category: Category,
    description: str,
    urgency: str = Urgency.NORMAL,
    wants_answer: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_consent: bool = False,
    event: Event | None = None,
) -> tuple[Concern, bool]:
    """Record a concern in its commune's dossier; the account's repeated client key returns the
    first one (another account's key is a new concern)."""
    existing = replay(actor, Concern.objects.all(), client_key, by="recorded_by")
    if existing is not None:
        return existing, False
    office = event.office if event else None
    if not can_add(actor, Concern, path=territory.path, office_id=office.pk if office else None):
        raise ValidationError(_("You cannot record concerns here."), code=ErrorCode.FORBIDDEN)
    if (
        event is not None
        and not Event.objects.filter(pk=event.pk, status=EventStatus.OPEN).exists()
    ):
        raise ValidationError(
            _("The door desk opens only while the event is open."), code=ErrorCode.EVENT_NOT_OPEN
        )
    return _concern_create(
        recorded_by=actor,
        client_key=client_key,
        territory=territory,
        category=category,
        description=description,
        urgency=urgency,
        wants_answer=wants_answer,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_consent=contact_consent,
        event=event,
        office=office,
    )


def concern_record_online(
    *,
    receipt: str,
    territory: Territory,
    category: Category,
    description: str,
    urgency: str = Urgency.NORMAL,
    wants_answer: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_consent: bool = False,
) -> Concern:
    """Record a concern a citizen left on the public site (accepted by its abuse rules or by a
    moderator): routed to its commune's dossier like the desk's, recorded by nobody, its public
    receipt number as its key."""
    if not Category.objects.filter(pk=category.pk, active=True).exists():
        raise ValidationError(
            {"category": _("This category is not offered.")}, code=ErrorCode.UNKNOWN_CATEGORY
        )
    concern, _created = _concern_create(
        recorded_by=None,
        client_key=receipt,
        territory=territory,
        category=category,
        description=description,
        urgency=urgency,
        wants_answer=wants_answer,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_consent=contact_consent,
    )
    return concern


def _concern_create(
    *,
    recorded_by,
    client_key: str,
    territory: Territory,
    category: Category,
    description: str,
    urgency: str,
    wants_answer: bool,
    contact_name: str,
    contact_phone: str,
    contact_consent: bool,
    event: Event | None = None,
    office=None,
) -> tuple[Concern, bool]:
    """The checks and the write every concern goes through, wherever it was recorded."""
    if territory.level < Level.COMMUNE:
        raise ValidationError(
            {"territory": _("Choose a commune or an arrondissement.")}, code=ErrorCode.NOT_A_COMMUNE
        )
    if not description.strip():
        raise ValidationError(
            {"description": _("Describe the problem or the expectation.")}, code=ErrorCode.EMPTY
        )
    phone = clean_phone(contact_phone)
    if wants_answer and not (phone and contact_consent):
        raise ValidationError(
            _("To be answered, the citizen must give a phone number and agree to be contacted."),
            code=ErrorCode.CONTACT_NEEDED,
        )
    dossier, _created = Dossier.objects.get_or_create(territory=territory, category=category)
    concern = Concern(
        territory=territory,
        category=category,
        dossier=dossier,
        description=description.strip(),
        urgency=urgency,
        wants_answer=wants_answer,
        contact_name=contact_name if wants_answer else "",
        contact_phone=phone if wants_answer else "",
        contact_consent_at=timezone.now() if wants_answer else None,
        event=event,
        office=office,
        recorded_by=recorded_by,
        client_key=client_key,
    )
    # Online concerns are recorded by nobody (the field is nullable, not a form's blank).
    concern.full_clean(exclude=["client_key"] if recorded_by else ["client_key", "recorded_by"])
    try:
        with transaction.atomic():
            concern.save()
    except IntegrityError:
        return Concern.objects.get(recorded_by=recorded_by, client_key=client_key), False
    return concern, True


def mandates_for(dossier: Dossier):
    """The elected members who can carry a dossier: current mandates of its commune and the levels above."""
    paths = ancestor_paths(dossier.territory.path)
    today = timezone.localdate()
    return (
        Mandate.objects.filter(territory__path__in=paths, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("person", "territory")
        .order_by("-territory__level", "institution")
    )


@transaction.atomic
def dossier_handover(
    *, actor, dossier: Dossier, mandates: list[Mandate], note: str = ""
) -> Dossier:
    """Hand a dossier to elected members of its territory (only those, so it reaches the right desk)."""
    if not can(actor, CHANGE, dossier):
        raise ValidationError(_("You cannot hand over this dossier."), code=ErrorCode.FORBIDDEN)
    allowed = set(mandates_for(dossier).values_list("pk", flat=True))
    if not mandates or any(m.pk not in allowed for m in mandates):
        raise ValidationError(
            _("Choose elected members who represent this commune."), code=ErrorCode.NOT_ITS_ELECTED
        )
    dossier.handed_to.add(*mandates)
    names = join_list(str(m.person) for m in mandates)
    DossierChange.objects.create(
        dossier=dossier,
        status=dossier.status,
        note=(note or _("Handed to %(names)s") % {"names": names})[:300],
        by=actor,
    )
    return dossier


@transaction.atomic
def dossier_set_status(
    *, actor, dossier: Dossier, status: str, note: str = "", answer: str = ""
) -> Dossier:
    """Record where the dossier was carried, or the answer obtained."""
    if not can(actor, CHANGE, dossier):
        raise ValidationError(_("You cannot change this dossier."), code=ErrorCode.FORBIDDEN)
    if status != DossierStatus.OPEN and not dossier.handed_to.exists():
        raise ValidationError(
            _("Hand the dossier to an elected member first."), code=ErrorCode.NOT_HANDED
        )
    if status == DossierStatus.ANSWERED and not (answer or dossier.answer):
        raise ValidationError(_("Write the answer obtained."), code=ErrorCode.ANSWER_NEEDED)
    dossier.status = status
    if answer:
        dossier.answer = answer
    dossier.save(update_fields=["status", "answer"])
    DossierChange.objects.create(dossier=dossier, status=status, note=note[:300], by=actor)
    return dossier
