"""The one call the things we send (convocations, answers, the memo, members' messages, account
notices) make into the sending engine: recipients as (person or account, {placeholder: value})
pairs, the personal values (a reply link, a read link) filling `{name}` placeholders in the send's
texts. Consent, scope, keys, audit and the worker are the engine's (abwab.messaging.engine)."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from abwab.messaging.models import Send


def deliver(
    *,
    actor,
    send: Send,
    recipients: Iterable[tuple[object, dict]],
    recipients_from_object: bool = False,
) -> Send:
    """Queue `send` to these persons (or accounts, for account notices) and start the worker.
    `recipients_from_object`: read from an object the actor may change (a meeting's invitees, the
    office holders below a node), not chosen in the request (see queue_send)."""
    from abwab.messaging.engine import queue_send

    user_model = get_user_model()
    people, users = [], []
    for target, extra in recipients:
        if isinstance(target, user_model):
            users.append(target)
        else:
            people.append((target, extra))
    return queue_send(
        actor, send, people, users=users, recipients_from_object=recipients_from_object
    )
