"""The one call the things we send (convocations, answers, the memo, members' messages, account
notices) make into the sending engine: recipients as (person or account, {placeholder: value})
pairs, the personal values (a reply link, a read link) filling `{name}` placeholders in the send's
texts. Consent, scope, keys, audit and the worker are the engine's (abwab.messaging.engine)."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from abwab.messaging.models import Send


def deliver(*, actor, send: Send, recipients: Iterable[tuple[object, dict]]) -> Send:
    """Queue `send` to these persons (or accounts, for account notices) and start the worker."""
    from abwab.messaging.engine import queue_send

    user_model = get_user_model()
    people, users = [], []
    for target, extra in recipients:
        if isinstance(target, user_model):
            users.append(target)
        else:
            people.append((target, extra))
    return queue_send(actor, send, people, users=users)
