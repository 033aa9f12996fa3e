"""The SQLite database holds members' political opinions: its files are for the server's user only.

SQLite creates a database 0644 (readable by every account of the machine) and gives its -wal and
-shm files the database's mode, so the database is made 0600 as each connection is set up, and the
other two follow (they are made 0600 too, should they already exist)."""

import contextlib
import os
import stat

PRIVATE_FILE = 0o600


def sqlite_files_private(sender=None, *, connection, **kwargs) -> None:
    """On a new SQLite connection: the database file and its -wal and -shm files made 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return  # an in-memory database has no file
    for path in (name, f"{name}-wal", f"{name}-shm"):
        # A file another account owns is left as it is (chmod would fail): not ours to change.
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if stat.S_IMODE(os.stat(path).st_mode) != PRIVATE_FILE:
                os.chmod(path, PRIVATE_FILE)
