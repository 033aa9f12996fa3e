"""Messages to members chosen by the members list's filters (territory, age band, gender, skill,
membership state, a search): the list through the scope gate, a preview per language, what the
SMS will cost (parts × recipients, naming a stray character that turns a Latin text into UCS-2),
a test send to oneself, then the send itself (purpose NEWS: only those who agreed to party news
on that channel receive it)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.scope import can_add, top_territory
from abwab.messaging.cost import SAMPLE, SmsCost, sms_cost
from abwab.messaging.models import Send, SendKind
from abwab.people.models import ConsentPurpose
from abwab.people.selectors import person_search_filtered

# What a text may use, filled per recipient by the engine (abwab.messaging.engine.render).
PLACEHOLDERS = ("first_name", "last_name", "first_name_latin", "last_name_latin")
FILTER_KEYS = ("q", "status", "gender", "age_band", "skill", "territory")


def members_chosen(*, actor, filters: dict, territory=None) -> QuerySet:
    """The persons the members list shows with these filters (the scope gate inside)."""
    return person_search_filtered(actor=actor, filters=filters, territory=territory)


def send_territory(*, actor, territory=None):
    """Where the send belongs (its scope): the list's territory, or the actor's top node; None
    when the actor may not send there."""
    node = territory or top_territory(actor)
    if node is None or not can_add(actor, Send, path=node.path):
        return None
    return node


def fill(text: str, context: dict | None = None) -> str:
    from abwab.messaging.engine import render

    return render(text, context or SAMPLE)


def members_cost(*, people: QuerySet, data: dict) -> SmsCost:
    """What the SMS to these members will cost (those who agreed to party news by SMS)."""
    return sms_cost(data, people, ConsentPurpose.NEWS)


def _texts(data: dict) -> dict[str, str]:
    return {
        "subject_ar": data.get("subject_ar", "").strip()[:200],
        "subject_fr": data.get("subject_fr", "").strip()[:200],
        "body_ar": data.get("body_ar", "").strip(),
        "body_fr": data.get("body_fr", "").strip(),
    }


def _check(data: dict) -> None:
    if not (data.get("by_email") or data.get("by_sms")):
        raise ValidationError(_("Choose email, SMS or both."), code=ErrorCode.EMPTY)
    if not (data.get("body_ar", "").strip() or data.get("body_fr", "").strip()):
        raise ValidationError(_("Write the message in Arabic or French."), code=ErrorCode.EMPTY)


def members_send(*, actor, territory, people: QuerySet, filters: dict, data: dict) -> Send:
    """Queue the message to the chosen members (party news: consent NEWS per channel)."""
    _check(data)
    with transaction.atomic():
        send = Send(
            kind=SendKind.MEMBERS,
            purpose=ConsentPurpose.NEWS,
            by_email=bool(data.get("by_email")),
            by_sms=bool(data.get("by_sms")),
            territory=territory,
            about="people.list",
            filters={
                k: getattr(v, "code", v) if not isinstance(v, str) else v
                for k, v in filters.items()
                if k in FILTER_KEYS and v
            },
            created_by=actor,
            **_texts(data),
        )
        send.full_clean()
        send.save()
        ids = list(people.order_by().values_list("pk", flat=True))
        _queue(actor=actor, send=send, recipients=[(pk, {}) for pk in ids])
    return send


def test_send(*, actor, territory, data: dict) -> Send | None:
    """Send the message to oneself (the account's email), both languages one after the other and
    the placeholders filled with a sample name; None when the account has no email."""
    _check(data)
    if not actor.email:
        return None
    texts = _texts(data)
    body = "\n\n— — —\n\n".join(
        fill(texts[f"body_{language}"]) for language in ("ar", "fr") if texts[f"body_{language}"]
    )
    subject = fill(texts["subject_ar"] or texts["subject_fr"])
    with transaction.atomic():
        # An account notice to oneself: no consent involved, only the account's own address.
        send = Send(
            kind=SendKind.ACCOUNT,
            by_email=True,
            territory=territory,
            about=f"messaging.test:{actor.pk}",
            created_by=actor,
            subject_ar=(_("[Test] %(subject)s") % {"subject": subject})[:200],
            body_ar=body,
        )
        send.full_clean()
        send.save()
        _queue(actor=actor, send=send, recipients=[(actor, {})])
    return send


def _queue(*, actor, send, recipients):
    """The one call into the sending engine for members' messages and test sends."""
    from abwab.messaging.delivery import deliver

    return deliver(actor=actor, send=send, recipients=recipients)
