"""Reading a member list and cleaning its lines, fast enough for a million of them.

`LineCleaner` gives exactly the values and errors of the services' validators
(`abwab.people.validation`), with shortcuts for the shapes nearly every line has: a CIN already
in canonical form, a date written YYYY-MM-DD (and dates remembered, a file holds a few thousand
distinct ones), a Moroccan number written 06..., +212 6... or 00212 6... . Anything else goes
through the validators themselves. The phone shortcut checks the national number against
phonenumbers' own metadata the way `phonenumbers.is_valid_number` does, without its parsing.
"""

import contextlib
import csv
import datetime
import functools
import io
import marshal
import os
import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abwab.core.errors import ErrorCode
from abwab.names.arabic import has_arabic, normalize_arabic
from abwab.people.models import Person
from abwab.people.validation import clean_cin, clean_phone
from abwab.territory.models import Level, Territory

FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "gender",
    "birth_date",
    "cin",
    "phone",
    "email",
    "commune_code",
    "joined_on",
)
ALIASES = {
    "first_name_ar": {"الاسم", "الاسم الشخصي", "prenom_ar", "first_name_ar"},
    "last_name_ar": {"النسب", "الاسم العائلي", "nom_ar", "last_name_ar"},
    "first_name_latin": {"prenom", "prénom", "first_name", "firstname", "first_name_latin"},
    "last_name_latin": {"nom", "last_name", "lastname", "surname", "last_name_latin"},
    "gender": {"sexe", "genre", "gender", "الجنس"},
    "birth_date": {
        "date_naissance",
        "date de naissance",
        "naissance",
        "birth_date",
        "تاريخ الازدياد",
    },
    "cin": {"cin", "cnie", "رقم البطاقة الوطنية"},
    "phone": {"telephone", "téléphone", "tel", "phone", "gsm", "الهاتف"},
    "email": {"email", "e-mail", "courriel", "البريد الإلكتروني"},
    "commune_code": {"commune", "code_commune", "commune_code", "الجماعة"},
    "joined_on": {"date_adhesion", "adhésion", "joined_on", "تاريخ الانخراط"},
}
# What users see of each field: the mapping screen, the template's headers, the errors. The
# template's headers are recognised again on upload, in every language of the site.
FIELD_LABELS = {
    "first_name_ar": gettext_lazy("first name (Arabic)"),
    "last_name_ar": gettext_lazy("last name (Arabic)"),
    "first_name_latin": gettext_lazy("first name (Latin)"),
    "last_name_latin": gettext_lazy("last name (Latin)"),
    "gender": gettext_lazy("gender"),
    "birth_date": gettext_lazy("birth date"),
    "cin": gettext_lazy("CIN"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("email"),
    "commune_code": gettext_lazy("commune"),
    "joined_on": gettext_lazy("joined on"),
}
NAME_FIELDS = ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")
GENDERS = {"F": "F", "M": "M", "H": "M", "ذ": "M", "أ": "F"}
# Control characters (C0 but tab and line breaks, which are whitespace and folded, DEL, C1) have
# no place in a name, a number or an address, and PostgreSQL refuses NUL in text: the line is
# refused, and what is kept of it for the error list has them replaced.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_LENGTH = {field: Person._meta.get_field(field).max_length for field in (*NAME_FIELDS, "email")}
MAX_KEPT = 1000  # characters kept of a refused line's value (or of a header cell)
UNREADABLE = "_unreadable"  # the key of a line the reader refused, with why


def guess_field(header: str) -> str:
    """The field a column header names: a usual header, or a field's label in any language."""
    key = header.strip().lower()
    found = next((field for field, names in ALIASES.items() if key in names), "")
    return found or _label_fields().get(key, "")


@functools.cache
def _label_fields() -> dict[str, str]:
    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for field, label in FIELD_LABELS.items():
                labels.setdefault(str(label).strip().lower(), field)
    return labels


_APOSTROPHES = re.compile("['`\u00b4\u2018\u2019\u02bc\u02bb]")
_NON_WORD = re.compile(r"[\W_]+")


def commune_key(name: str) -> str:
    """A commune's name as compared with what a file says: Arabic without its diacritics and
    with one alef, ya and ha whatever the hamza or ta marbuta (`normalize_arabic`); Latin without
    accents, case, apostrophes or punctuation ("Thar Es-Souk" = "thar es souk")."""
    if has_arabic(name):
        return normalize_arabic(name)
    text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", name)).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text).split())


def read_table(source, name: str):
    """Yield the file's rows as lists of strings, the header first (CSV in UTF-8, or XLSX), from a
    path or an open binary file. A CSV record the reader refuses (a field beyond its limit) is
    yielded as the ValidationError saying why, and reading goes on with the next one."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(source, read_only=True, data_only=True)
        try:
            for row in workbook.active.iter_rows(values_only=True):
                yield [
                    ""
                    if v is None
                    else (v.date().isoformat() if isinstance(v, datetime.datetime) else str(v))
                    for v in row
                ]
        finally:
            workbook.close()
        return
    opened = isinstance(source, str | os.PathLike)
    binary = open(source, "rb") if opened else source  # noqa: SIM115 - closed below
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                row = _unreadable(error)
            yield row
    finally:
        if opened:
            text.close()
        else:
            text.detach()  # the caller's file stays open


def _unreadable(error: csv.Error) -> ValidationError:
    if "field limit" in str(error):
        message = _("a field is too long (more than %(limit)d characters)") % {
            "limit": csv.field_size_limit()
        }
    else:
        message = _("this line cannot be read as CSV")
    return ValidationError(message, code=ErrorCode.UNREADABLE)


def read_header(upload) -> list[str]:
    """The header of an uploaded table, read before anything is stored; a CSV is also checked
    to be UTF-8 throughout, so that no job fails on it later. ValidationError when unreadable."""
    refusal = ValidationError(
        _("The file cannot be read as a table with a header line."), code=ErrorCode.UNREADABLE
    )
    rows = read_table(upload.file, upload.name)
    try:
        header = next(rows)
        if not upload.name.lower().endswith(".xlsx"):
            # From the start: the header's reader read ahead, maybe to the middle of a letter.
            upload.file.seek(0)
            text = io.TextIOWrapper(upload.file, encoding="utf-8", newline="")
            try:
                while text.read(1 << 20):
                    pass
            finally:
                text.detach()
    except Exception as error:  # a parser of untrusted bytes may fail in any way
        raise refusal from error
    finally:
        rows.close()
        upload.seek(0)
    if isinstance(header, ValidationError) or not any(cell.strip() for cell in header):
        raise refusal
    return [CONTROL.sub("\ufffd", str(cell))[:MAX_KEPT] for cell in header]


def read_lines(path: str, name: str, columns: list[str], mapping: dict[str, str]):
    """Yield (line number, {field: value}) for each line after the header (the header is line 1);
    a line that could not be read is {UNREADABLE: why}."""
    fields = [(index, mapping.get(column)) for index, column in enumerate(columns)]
    fields = [(index, field) for index, field in fields if field]
    rows = read_table(path, name)
    next(rows, None)
    for line, values in enumerate(rows, start=2):
        if isinstance(values, ValidationError):
            yield line, {UNREADABLE: values.messages[0]}
            continue
        width = len(values)
        yield line, {field: str(values[index]) for index, field in fields if index < width}


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@functools.lru_cache(maxsize=1 << 16)
def _known_date(value: str) -> datetime.date:
    if _ISO_DATE.fullmatch(value):  # what strptime("%Y-%m-%d") accepts of this shape, and only that
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(value)


def clean_date(value: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return _known_date(value)
    except ValueError:
        raise ValidationError(_("unreadable date %(value)r") % {"value": value}) from None


_CANONICAL_CIN = re.compile(r"[A-Z]{1,2}[0-9]{1,7}")


def fast_cin(value: str) -> str | None:
    """`clean_cin`, returning a CIN already in canonical form as it is."""
    return value if _CANONICAL_CIN.fullmatch(value) else clean_cin(value)


_MOROCCAN = re.compile(r"(?:\+212|00212|0)([5-8][0-9]{8})")
_PUNCTUATION = str.maketrans("", "", " .-")
_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)


def _desc(desc):
    """A phonenumbers number description as (possible lengths, pattern), or None."""
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), desc.national_number_pattern


@functools.cache
def _regions_212() -> list:
    """For each region of country code 212 (Morocco, Western Sahara), what validation reads."""
    regions = []
    for code in phonenumbers.region_codes_for_country_code(212):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(code)
        types = [_desc(getattr(metadata, name)) for name in _TYPES]
        if not metadata.same_mobile_and_fixed_line_pattern:
            types.append(_desc(metadata.mobile))
        leading = metadata.leading_digits
        regions.append(
            (
                None if leading is None else re.compile(leading),
                _desc(metadata.general_desc),
                [t for t in types if t],
            )
        )
    return regions


@functools.cache
def _pattern_212(region: int, length: int):
    """One pattern for "the number has a type in this region": the general description, then
    any type whose possible lengths allow this length (an alternation fully matches when one
    of its parts does)."""
    _leading, general, types = _regions_212()[region]
    if general is None or (general[0] and length not in general[0]):
        return None
    parts = [f"(?:{pattern})" for lengths, pattern in types if not lengths or length in lengths]
    if not parts:
        return None
    return re.compile(f"(?=(?:{general[1]})$)(?:{'|'.join(parts)})")


def _valid_212(nsn: str) -> bool:
    """`phonenumbers.is_valid_number` for +212 and this national number: the region is the first
    whose leading digits match or that knows the number, then the number must have a type there."""
    for index, (leading, _general, _types) in enumerate(_regions_212()):
        pattern = _pattern_212(index, len(nsn))
        known = pattern is not None and pattern.fullmatch(nsn) is not None
        if leading is not None:
            if leading.match(nsn):
                return known
        elif known:
            return True
    return False


def fast_phone(value: str) -> str:
    """`clean_phone`, without parsing the usual Moroccan shapes; any other shape, or a number the
    shortcut finds invalid, goes through `clean_phone` (which gives the error)."""
    match = _MOROCCAN.fullmatch(value.translate(_PUNCTUATION))
    if match and _valid_212(match[1]):
        return "+212" + match[1]
    return clean_phone(value)


class LineCleaner:
    """Cleans the lines of a file imported into `territory`, its communes looked up once."""

    def __init__(self, territory: Territory):
        self.territory = territory
        communes = Territory.objects.filter(
            path__startswith=territory.path, level__gte=Level.COMMUNE
        ).values_list("pk", "code", "path", "name_ar", "name_fr")
        self.communes = {code: pk for pk, code, *_rest in communes}
        # The region of each commune (the path's second segment), for card numbers.
        self.region_of = {pk: path.split("/")[1] for pk, _code, path, *_names in communes}
        self.path_of = {pk: path for pk, _code, path, *_names in communes}
        self.default = territory.pk if territory.level >= Level.COMMUNE else None
        # Communes by name, in either script: a name two communes of the territory share (in
        # two provinces) is ambiguous, and said to be.
        self.named: dict[str, set[int]] = {}
        for pk, _code, _path, *names in communes:
            for name in names:
                if key := commune_key(name):
                    self.named.setdefault(key, set()).add(pk)
        self.found: dict[str, tuple[int | None, str]] = {}

    def commune(self, value: str) -> tuple[int | None, str]:
        """(the commune's id, "") for an HCP code or a name of a commune of the territory, else
        (None, why not): unknown (or outside), or a name several of its communes bear."""
        if (pk := self.communes.get(value)) is not None:
            return pk, ""
        if (found := self.found.get(value)) is None:
            found = self._by_name(value)
            if len(self.found) < 10_000:  # a file repeats its communes: each looked up once
                self.found[value] = found
        return found

    def _by_name(self, value: str) -> tuple[int | None, str]:
        ids = self.named.get(commune_key(value), set())
        if len(ids) == 1:
            return next(iter(ids)), ""
        if not ids:
            return None, _("commune %(code)s is unknown or outside %(territory)s") % {
                "code": value,
                "territory": self.territory,
            }
        communes = Territory.objects.filter(pk__in=ids).select_related("parent").order_by("code")
        choices = "، " if translation.get_language() == "ar" else ", "
        choices = choices.join(f"{c} — {c.parent} ({c.code})" for c in communes)
        return None, _(
            "commune %(name)s is ambiguous: several communes bear this name (%(choices)s); "
            "write the HCP code of the one meant"
        ) % {"name": value, "choices": choices}

    def clean(self, raw: dict) -> dict:
        """A line's values, cleaned; raises ValidationError listing what is wrong with it."""
        if UNREADABLE in raw:
            raise ValidationError(raw[UNREADABLE])
        if CONTROL.search("".join(raw.values())):
            fields = ", ".join(f for f, value in raw.items() if CONTROL.search(value))
            raise ValidationError(_("control characters in %(fields)s") % {"fields": fields})
        errors, data = [], {}
        get = raw.get
        for field in NAME_FIELDS:
            data[field] = " ".join((get(field) or "").split())
        data["email"] = " ".join((get("email") or "").split())
        for field, limit in MAX_LENGTH.items():
            if len(data[field]) > limit:
                errors.append(
                    _("%(field)s: too long (at most %(max)d characters)")
                    % {"field": FIELD_LABELS[field], "max": limit}
                )
        if not (
            data["first_name_ar"]
            or data["last_name_ar"]
            or data["first_name_latin"]
            or data["last_name_latin"]
        ):
            errors.append(_("no name"))
        data["gender"] = GENDERS.get((get("gender") or "").strip().upper()[:1], "")
        for field, cleaner in (
            ("cin", fast_cin),
            ("phone", fast_phone),
            ("birth_date", clean_date),
            ("joined_on", clean_date),
        ):
            try:
                data[field] = cleaner(get(field) or "")
            except ValidationError as error:
                errors.append(f"{FIELD_LABELS[field]}: {' '.join(error.messages)}")
        code = (get("commune_code") or "").strip()
        territory_id = None
        if code:
            territory_id, error = self.commune(code)
            if error:
                errors.append(error)
        if territory_id is None and self.default is not None:
            territory_id = self.default
        elif territory_id is None and not errors:
            errors.append(_("no commune"))
        data["territory_id"] = territory_id
        if errors:
            raise ValidationError("; ".join(str(e) for e in errors))
        return data


# The cleaned values of the lines a check passed, kept beside the uploaded file (as private as
# it: mode 0600) so that the import reads them instead of reading and cleaning every line again:
# blocks of tuples in `marshal`'s format (C-fast both ways, and loading it runs no code, unlike
# pickle), after a first block naming the format. A file of another format is not read (the
# import then cleans the upload's lines again, as it does when this file is missing).
CHECKED = (
    "line",
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "gender",
    "birth_date",  # as a day number (date.toordinal), or None
    "cin",
    "phone",
    "email",
    "territory_id",
    "joined_on",  # as a day number, or None
    "commune_code",  # as written, for an error if the commune is gone by the import
)
CHECKED_FORMAT = ("abwab-checked-lines", 1, CHECKED)
CHECKED_BLOCK = 5000


def checked_path(upload_path: str) -> str:
    return f"{upload_path}.checked"


class CheckedWriter:
    """Writes the checked lines; the file takes its name only when whole (`close`)."""

    def __init__(self, upload_path: str):
        self.path = checked_path(upload_path)
        self.partial = self.path + ".partial"
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path)  # a new check: the old values may follow another mapping
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.handle = open(descriptor, "wb")  # noqa: SIM115 - closed by close() or discard()
        marshal.dump(CHECKED_FORMAT, self.handle)
        self.block: list[tuple] = []

    def add(self, line: int, clean: dict, commune: str) -> None:
        birth, joined = clean["birth_date"], clean["joined_on"]
        self.block.append(
            (
                line,
                clean["first_name_ar"],
                clean["last_name_ar"],
                clean["first_name_latin"],
                clean["last_name_latin"],
                clean["gender"],
                birth and birth.toordinal(),
                clean["cin"],
                clean["phone"],
                clean["email"],
                clean["territory_id"],
                joined and joined.toordinal(),
                commune,
            )
        )
        if len(self.block) == CHECKED_BLOCK:
            marshal.dump(self.block, self.handle)
            self.block = []

    def close(self) -> None:
        if self.block:
            marshal.dump(self.block, self.handle)
        self.handle.close()
        os.replace(self.partial, self.path)

    def discard(self) -> None:
        self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.partial)


_day = functools.lru_cache(maxsize=1 << 16)(datetime.date.fromordinal)


def read_checked(upload_path: str):
    """Yield (line, None, cleaned values) for the lines the last check passed, or return None
    when there is no such file (or one of another format). The cleaned values carry the commune
    as written under "commune_code" (see `checked_raw`)."""
    try:
        handle = open(checked_path(upload_path), "rb")  # noqa: SIM115 - closed by the generator
    except FileNotFoundError:
        return None
    try:
        known = marshal.load(handle) == CHECKED_FORMAT  # noqa: S302 - our own 0600 file; runs no code
    except (EOFError, ValueError, TypeError):
        known = False
    if not known:
        handle.close()
        return None
    return _checked_lines(handle)


def _checked_lines(handle):
    day = _day
    with handle:
        while True:
            try:
                block = marshal.load(handle)  # noqa: S302 - as above
            except EOFError:
                return
            for row in block:
                (line, fa, la, fl, ll, gender, birth, cin, phone, email, where, joined, code) = row
                yield (
                    line,
                    None,
                    {
                        "first_name_ar": fa,
                        "last_name_ar": la,
                        "first_name_latin": fl,
                        "last_name_latin": ll,
                        "gender": gender,
                        "birth_date": birth and day(birth),
                        "cin": cin,
                        "phone": phone,
                        "email": email,
                        "territory_id": where,
                        "joined_on": joined and day(joined),
                        "commune_code": code,
                    },
                )


def checked_raw(clean: dict) -> dict[str, str]:
    """A checked line's values as text, for the list of lines not imported (its upload's own
    text was not kept: the cleaned values stand for it)."""
    return {
        field: value.isoformat() if isinstance(value, datetime.date) else str(value or "")
        for field, value in clean.items()
        if field in FIELDS
    }
