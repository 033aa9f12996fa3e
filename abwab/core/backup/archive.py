"""The backup file: a tar of `manifest.json` then the database, written atomically and privately;
read back only after every check has passed."""

import contextlib
import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from abwab.core.backup import postgresql, sqlite
from abwab.core.backup.base import (
    CHUNK,
    FORMAT,
    MANIFEST,
    PAYLOADS,
    BackupError,
    code_migrations,
    engine_label,
    engine_of,
)


def write(target: Path, manifest: dict, payload: Path) -> None:
    """Manifest first (a restore reads it before the payload), into a private temporary file in
    the same folder, flushed to disk, then renamed: a crash never leaves half a backup under the
    final name, and only the owner can read members' data."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".abwab-backup-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw:
            os.fchmod(raw.fileno(), 0o600)
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
                document = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = (
                    len(document),
                    0o600,
                    int(os.path.getmtime(payload)),
                )
                archive.addfile(info, io.BytesIO(document))
                info = archive.gettarinfo(str(payload), arcname=payload.name)
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with open(payload, "rb") as data:
                    archive.addfile(info, data)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, mode="r:") as archive:
            member = archive.next()
            if member is None or member.name != MANIFEST:
                raise BackupError(_("%(path)s is not an Abwab backup.") % {"path": path.name})
            manifest = json.loads(archive.extractfile(member).read())
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(
            _("%(path)s is not an Abwab backup, or it is damaged.") % {"path": path.name}
        ) from error
    required = {"format", "engine", "migrations", "tables", "payload", "sha256", "created_at"}
    if not isinstance(manifest, dict) or not required <= manifest.keys():
        raise BackupError(_("%(path)s is not an Abwab backup.") % {"path": path.name})
    return manifest


def check_manifest(manifest: dict, connection) -> None:
    engine = engine_of(connection)
    if manifest["format"] != FORMAT:
        raise BackupError(
            _("This backup has format %(format)s, which this version of Abwab does not read.")
            % {"format": manifest["format"]}
        )
    if manifest["engine"] != engine or manifest["payload"] != PAYLOADS[engine]:
        raise BackupError(
            _(
                "This is a %(file)s backup and the configured database is %(database)s: "
                "restore it into a %(file)s database."
            )
            % {"file": engine_label(manifest["engine"]), "database": engine_label(engine)}
        )
    unknown = sorted(set(manifest["migrations"]) - code_migrations())
    if unknown:
        raise BackupError(
            _(
                "This backup comes from a newer version of Abwab (migrations this code does not "
                "have: %(migrations)s). Install that version, or a later one, then restore."
            )
            % {"migrations": ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else "")}
        )


def open_checked(path: Path, connection, work: Path) -> tuple[dict, Path]:
    """The manifest and the database extracted into `work` (an SQLite file or a pg_dump archive),
    once both have passed every check."""
    manifest = read_manifest(path)
    check_manifest(manifest, connection)
    payload = work / manifest["payload"]
    digest = hashlib.sha256()
    try:
        with tarfile.open(path, mode="r:") as archive:
            archive.next()
            member = archive.next()
            if member is None or member.name != manifest["payload"] or not member.isfile():
                raise BackupError(_("The backup is damaged: its database is missing."))
            with archive.extractfile(member) as data, open(payload, "wb") as out:
                while chunk := data.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(_("The backup is damaged: its database is incomplete.")) from error
    if digest.hexdigest() != manifest["sha256"]:
        raise BackupError(
            _("The backup is damaged: its checksum does not match (the file was altered or cut).")
        )
    check = sqlite.check if manifest["engine"] == "sqlite" else postgresql.check
    return manifest, check(payload)
