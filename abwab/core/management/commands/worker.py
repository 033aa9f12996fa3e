"""`abwab worker`: django-tasks' database worker (`db_worker`, same options), which a locked
database pauses instead of stopping.

On SQLite, when another writer holds the lock longer than the busy timeout, the worker's own
queries (looking for a task, claiming it, recording its end) fail with "database is locked", and
`db_worker` exits. Here the worker waits (1 s, 2 s, 4 s, ... at most a minute) and starts again;
jobs themselves retry in `abwab.core.jobs.run_job`."""

import logging
import time

from django.db import OperationalError, connections
from django_tasks_db.management.commands import db_worker

from abwab.core.jobs import LOCKED_DELAY, database_locked

logger = logging.getLogger(__name__)
LONGEST_PAUSE = 60.0
STEADY = 300.0  # seconds of work after which the pauses start again from the shortest


class Command(db_worker.Command):
    help = "Run the background worker; a locked database pauses it instead of stopping it."

    def handle(self, *args, **options):
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except OperationalError as error:
                if not database_locked(error):
                    raise
                attempt = 1 if time.monotonic() - started > STEADY else attempt + 1
                delay = min(LOCKED_DELAY * 2 ** (attempt - 1), LONGEST_PAUSE)
                logger.warning("database locked: the worker starts again in %.0f s", delay)
                connections.close_all()
                time.sleep(delay)
