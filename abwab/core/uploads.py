"""Uploaded files are checked for size and for what they really are (their first bytes, and for
the zip-based kinds the part that makes them that kind), not just their name, before anything is
stored: a refused upload leaves nothing on disk."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "csv": (),
}
# Office files are zip archives: any zip starts PK, the part a program opens first says which.
ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}


def check_upload(upload, *, allowed: tuple[str, ...], limit: int | None = None) -> str:
    """Return the file's extension when it is allowed, small enough and what it claims to be."""
    limit = limit or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            code=ErrorCode.TOO_BIG,
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in allowed:
        raise ValidationError(
            _("This kind of file is not accepted; accepted: %(kinds)s.")
            % {"kinds": ", ".join(allowed)},
            code=ErrorCode.BAD_TYPE,
        )
    head = upload.read(16)
    upload.seek(0)
    signatures = SIGNATURES.get(extension, ())
    if (signatures and not any(head.startswith(signature) for signature in signatures)) or (
        extension in ZIP_PARTS and not _has_part(upload, ZIP_PARTS[extension])
    ):
        raise ValidationError(
            _("The file's content does not match its name (.%(ext)s).") % {"ext": extension},
            code=ErrorCode.BAD_CONTENT,
        )
    return extension


def _has_part(upload, part: str) -> bool:
    """Whether the upload is a readable zip archive holding `part` (its directory only is read)."""
    try:
        with zipfile.ZipFile(upload.file) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False
    finally:
        upload.seek(0)
