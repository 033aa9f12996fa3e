"""Exporting the members list: CSV streamed row by row, XLSX written to disk in constant memory and
streamed from there, so a million rows use the same little memory as a hundred."""

import csv
import tempfile

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from abwab.core.spreadsheets import spreadsheet_row, xlsx_write_row
from abwab.people.selectors import person_search

CHUNK = 2000


def export_header() -> list[str]:
    return [
        _("first name (Arabic)"),
        _("last name (Arabic)"),
        _("first name (Latin)"),
        _("last name (Latin)"),
        _("gender"),
        _("birth date"),
        _("phone"),
        _("Commune"),
        _("Card number"),
        _("Status"),
    ]


def export_rows(*, actor, **filters):
    """The visible people matching the filters, as plain rows, fetched in chunks (no full load).

    Choices are written as words of the language active now (the export's language: "امرأة",
    "نشيط" in Arabic, "Femme", "Actif" in French), never as their stored codes ("F", "active"),
    and the commune by its name in that language. The words are fixed here, when the export is
    asked for: the CSV is written later, while the response streams."""
    from abwab.people.models import Gender, Membership, MembershipStatus

    words = {
        "gender": {value: str(label) for value, label in Gender.choices},
        "status": {value: str(label) for value, label in MembershipStatus.choices},
    }
    commune = "territory__name_fr" if translation.get_language() == "fr" else "territory__name_ar"
    people = person_search(actor=actor, **filters).values_list(
        "pk",
        "first_name_ar",
        "last_name_ar",
        "first_name_latin",
        "last_name_latin",
        "gender",
        "birth_date",
        "phone",
        commune,
    )
    return _in_chunks(people, words, Membership, MembershipStatus)


def _in_chunks(people, words, membership_model, status):
    batch: list = []
    for row in people.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _with_cards(batch, words, membership_model, status)
            batch = []
    yield from _with_cards(batch, words, membership_model, status)


def _with_cards(batch, words, membership_model, status):
    cards = {
        person_id: (card, state)
        for person_id, card, state in membership_model.objects.filter(
            person_id__in=[r[0] for r in batch]
        )
        .exclude(status=status.ENDED)
        .values_list("person_id", "card_number", "status")
    }
    for pk, *fields in batch:
        card, state = cards.get(pk, ("", ""))
        fields[4] = words["gender"].get(fields[4], fields[4] or "")
        yield [
            *(value.isoformat() if hasattr(value, "isoformat") else value for value in fields),
            card,
            words["status"].get(state, state),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows, header):
    """CSV lines one at a time, with a BOM so spreadsheet programs read the Arabic as UTF-8; no cell
    runs as a formula (see abwab.core.spreadsheets)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(spreadsheet_row(header))
    for row in rows:
        yield writer.writerow(spreadsheet_row(row))


def xlsx_file(rows, header) -> tempfile.NamedTemporaryFile:
    """An XLSX workbook written in constant memory to a temporary file, its sheet right to left
    unless the export is in French; text is written as text, never as a formula (see
    abwab.core.spreadsheets)."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, closed with it
    workbook = xlsxwriter.Workbook(handle.name, {"constant_memory": True})
    sheet = workbook.add_worksheet()
    if translation.get_language_bidi():
        sheet.right_to_left()
    xlsx_write_row(sheet, 0, header, workbook.add_format({"bold": True}))
    for index, row in enumerate(rows, start=1):
        xlsx_write_row(sheet, index, row)
    workbook.close()
    handle.seek(0)
    return handle
