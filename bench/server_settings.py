"""Abwab's production settings for the servers the benchmarks start, with three differences only:
the database name may be given apart (``BENCH_DB_NAME``: the test database of the fault test, an
SQLite file or a PostgreSQL database; SQLite keeps Abwab's WAL and locking options); the URL
configuration adds ``/bench/ping``, a trivial JSON answer that touches no database, to measure the
framework's own ceiling through the same middleware; and the servers speak plain http on the
loopback, with no redirect to https."""

import os

from abwab.settings import *  # noqa: F403
from abwab.settings import DATABASES

if os.environ.get("BENCH_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["BENCH_DB_NAME"]

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
