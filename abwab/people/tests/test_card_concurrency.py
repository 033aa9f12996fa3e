"""Concurrent sign-ups get distinct, gapless card numbers (real threads, real connections)."""

import threading

from django.db import close_old_connections, connection

from abwab.people.models import Membership
from abwab.people.services import member_register
from abwab.people.tests.factories import PersonFactory

SIGN_UPS = 24
THREADS = 8


def test_concurrent_sign_ups_never_collide_nor_leave_gaps(transactional_territory):
    people = [PersonFactory() for _ in range(SIGN_UPS)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(batch):
        try:
            barrier.wait()
            for person in batch:
                member_register(actor=None, person=person, consent_given=True)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(people[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(
        int(card.rsplit("-", 1)[1])
        for card in Membership.objects.values_list("card_number", flat=True)
    )
    assert numbers == list(range(1, SIGN_UPS + 1))
