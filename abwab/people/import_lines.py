"""Reading a member list and cleaning its lines, fast enough for a million of them.

`LineCleaner` gives exactly the values and errors of the services' validators
(`abwab.people.validation`), with shortcuts for the shapes nearly every line has: a CIN already
in canonical form, a date written YYYY-MM-DD (and dates remembered, a file holds a few thousand
distinct ones), a Moroccan number written 06..., +212 6... or 00212 6... . Anything else goes
through the validators themselves. The phone shortcut checks the national number against
phonenumbers' own metadata the way `phonenumbers.is_valid_number` does, without its parsing.
"""

import csv
import datetime
import functools
import io
import os
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    key = header.strip().lower()
    return next((field for field, names in ALIASES.items() if key in names), "")


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
    return ValidationError(message, code="unreadable")


def read_header(upload) -> list[str]:
    """The header of an uploaded table, read before anything is stored; a CSV is also checked
    to be UTF-8 throughout, so that no job fails on it later. ValidationError when unreadable."""
    refusal = ValidationError(
        _("The file cannot be read as a table with a header line."), code="unreadable"
    )
    rows = read_table(upload.file, upload.name)
    try:
        header = next(rows)
        if not upload.name.lower().endswith(".xlsx"):
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
        ).values_list("pk", "code", "path")
        self.communes = {code: pk for pk, code, _path in communes}
        # The region of each commune (the path's second segment), for card numbers.
        self.region_of = {pk: path.split("/")[1] for pk, _code, path in communes}
        self.default = territory.pk if territory.level >= Level.COMMUNE else None

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
                    % {"field": field, "max": limit}
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
                errors.append(f"{field}: {' '.join(error.messages)}")
        code = (get("commune_code") or "").strip()
        territory_id = self.communes.get(code) if code else None
        if code and territory_id is None:
            errors.append(
                _("commune %(code)s is unknown or outside %(territory)s")
                % {"code": code, "territory": self.territory}
            )
        if territory_id is None and self.default is not None:
            territory_id = self.default
        elif territory_id is None and not errors:
            errors.append(_("no commune"))
        data["territory_id"] = territory_id
        if errors:
            raise ValidationError("; ".join(str(e) for e in errors))
        return data
