"""Files that hold members' data are for the server's user only: the SQLite database (and its -wal
and -shm files) 0600, uploads 0600 in 0700 directories, whatever the umask."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from abwab.people.imports import import_upload
from abwab.territory.models import Territory


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual umask, which leaves files readable by every account of the machine."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


CONNECT = """
import os, sqlite3, stat, sys
os.umask(0o022)
var = sys.argv[1]
if sys.argv[2] == "existing":  # a database made by an older version, readable by all
    sqlite3.connect(os.path.join(var, "abwab.sqlite3")).close()
    os.chmod(os.path.join(var, "abwab.sqlite3"), 0o644)
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS t (x integer)")
    cursor.execute("INSERT INTO t VALUES (1)")
names = ["abwab.sqlite3", "abwab.sqlite3-wal", "abwab.sqlite3-shm"]
print(" ".join(oct(stat.S_IMODE(os.stat(os.path.join(var, n)).st_mode)) for n in names))
"""


@pytest.mark.parametrize("database", ["new", "existing"])
def test_the_sqlite_database_and_its_wal_are_private(tmp_path, database):
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CONNECT, str(tmp_path), database],
        env={
            "PATH": "/usr/bin:/bin",
            "ABWAB_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "abwab.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o600", "0o600", "0o600"]


@pytest.mark.django_db
def test_uploads_are_private_files_in_private_directories(actors, settings, tmp_path, open_umask):
    # Given a media folder not created yet.
    settings.MEDIA_ROOT = tmp_path / "uploads" / "media"
    # When a member list is uploaded.
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=SimpleUploadedFile("m.csv", "prénom,nom\nSara,Tazi\n".encode()),
    )
    # Then the file and every folder down to it are the server's user's only.
    path = settings.MEDIA_ROOT / batch.file.name
    assert mode(path) == 0o600
    folders = [settings.MEDIA_ROOT, *path.relative_to(settings.MEDIA_ROOT).parents]
    assert {mode(settings.MEDIA_ROOT / folder) for folder in folders} == {0o700}
