"""Printable membership cards (PDF): names in both scripts, card number, region, and a QR code that
opens the member's record for a user allowed to see it.

The sheet is the usual A4 card stock: ISO/IEC 7810 ID-1 cards (85.6 × 54 mm), two columns of five,
rows touching (one cut serves two cards), a gutter between the columns, and crop marks on every cut
line outside the cards. Every card is placed at a computed position (`sheet_layout`), never by the
flow of the page: a flow layout let every other row ride over the next, and its cost grew faster
than the number of cards (400 cards took minutes). WeasyPrint lays out and shapes the Arabic (the
only shaper we have); it gets one small fixed-size block per card, rendered in chunks so a job can
report progress, and the chunks' pages are written as one PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import segno
from django.template.loader import render_to_string
from django.urls import reverse

from abwab.territory.models import Territory

# Millimetres. A4 portrait; ID-1 cards.
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
CARD_WIDTH, CARD_HEIGHT = 85.6, 54.0
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
GUTTER = 10.0  # between the two columns: room for the crop marks of the inner edges
MARGIN_X = (PAGE_WIDTH - COLUMNS * CARD_WIDTH - (COLUMNS - 1) * GUTTER) / 2  # 14.4 mm
MARGIN_Y = (PAGE_HEIGHT - ROWS * CARD_HEIGHT) / 2  # 13.5 mm, as on 10-up card stock
MARK_LENGTH, MARK_OFFSET = 5.0, 1.5  # crop marks stop short of the card: no stroke on the card
CHUNK = 100  # cards laid out at a time (progress is reported after each)


@dataclass(frozen=True)
class Box:
    """A card's place on the sheet, in millimetres from the page's top-left corner."""

    page: int
    x: float
    y: float
    width: float = CARD_WIDTH
    height: float = CARD_HEIGHT

    def overlaps(self, other: Box) -> bool:
        return (
            self.page == other.page
            and self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


def sheet_layout(count: int) -> list[Box]:
    """Where each of `count` cards goes: ten per page, filled in reading order for Arabic (the
    first card top right)."""
    boxes = []
    for index in range(count):
        page, slot = divmod(index, PER_PAGE)
        row, column = divmod(slot, COLUMNS)
        column = COLUMNS - 1 - column  # right to left
        x = MARGIN_X + column * (CARD_WIDTH + GUTTER)
        boxes.append(Box(page=page, x=round(x, 3), y=round(MARGIN_Y + row * CARD_HEIGHT, 3)))
    return boxes


def crop_marks() -> list[tuple[float, float, float, float]]:
    """The crop marks of one page as lines (x1, y1, x2, y2) in mm: on every cut line, outside the
    cards (in the page margins and in the gutter), so cutting along them leaves no mark on a card."""
    xs = [MARGIN_X + c * (CARD_WIDTH + GUTTER) + d for c in range(COLUMNS) for d in (0, CARD_WIDTH)]
    ys = [MARGIN_Y + r * CARD_HEIGHT for r in range(ROWS + 1)]
    top, bottom = ys[0], ys[-1]
    lines = []
    for x in xs:  # vertical cuts: marks above and below the grid
        lines.append((x, top - MARK_OFFSET - MARK_LENGTH, x, top - MARK_OFFSET))
        lines.append((x, bottom + MARK_OFFSET, x, bottom + MARK_OFFSET + MARK_LENGTH))
    # Horizontal cuts: marks in the free spans of the line (side margins, gutter), from each card
    # edge outwards, stopping short of the span's middle so two marks never join.
    spans = [
        (0.0, xs[0]),
        *((xs[i], xs[i + 1]) for i in range(1, len(xs) - 1, 2)),
        (xs[-1], PAGE_WIDTH),
    ]
    for y in ys:
        for start, end in spans:
            middle = (start + end) / 2
            if start > 0:  # a card ends at `start`
                lines.append(
                    (
                        start + MARK_OFFSET,
                        y,
                        min(start + MARK_OFFSET + MARK_LENGTH, middle - 0.5),
                        y,
                    )
                )
            if end < PAGE_WIDTH:  # a card begins at `end`
                lines.append(
                    (max(end - MARK_OFFSET - MARK_LENGTH, middle + 0.5), y, end - MARK_OFFSET, y)
                )
    return [tuple(round(v, 3) for v in line) for line in lines]


@dataclass(frozen=True)
class Card:
    """What one card shows; built from a membership by `card_data`."""

    name_ar: str
    name_latin: str
    number: str
    region_ar: str
    region_fr: str
    link: str


def card_data(memberships: Iterable, *, base_url: str) -> list[Card]:
    """The cards of these memberships (with `person` and `territory` loaded); one query for all the
    regions, whatever the number of cards."""
    memberships = list(memberships)
    regions = {
        t.code: t
        for t in Territory.objects.filter(code__in={_region_code(m.territory) for m in memberships})
    }
    root = base_url.rstrip("/")
    cards = []
    for membership in memberships:
        person = membership.person
        region = regions.get(_region_code(membership.territory))
        cards.append(
            Card(
                name_ar=person.name_ar,
                name_latin=person.name_latin,
                number=membership.card_number,
                region_ar=region.name_ar if region else "",
                region_fr=region.name_fr if region else "",
                link=root + reverse("people:detail", args=[membership.person_id]),
            )
        )
    return cards


def _region_code(territory: Territory) -> str:
    """The code of the region above a node (its path's second segment: "MA/03/031/" is in 03)."""
    codes = territory.path.split("/")
    return codes[1] if len(codes) > 2 else ""


def _qr(link: str) -> str:
    """The QR code as a PNG of one pixel per module, drawn without smoothing (sharp when printed).
    Tiny to embed and quick to read back; as SVG, parsing each code's path cost ten times more."""
    return segno.make(link, error="m", mask=0).png_data_uri(scale=1, border=0)


@cache
def _marks_uri() -> str:
    """One SVG of the page's crop marks, the same image on every page (WeasyPrint reads it once)."""
    from urllib.parse import quote

    strokes = "".join(f'<line x1="{a}" y1="{b}" x2="{c}" y2="{d}"/>' for a, b, c, d in crop_marks())
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH}mm" height="{PAGE_HEIGHT}mm" '
        f'viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}"><g stroke="#000" stroke-width="0.2">'
        f"{strokes}</g></svg>"
    )
    return "data:image/svg+xml," + quote(svg)


def _html(cards: list[Card], boxes: list[Box]) -> str:
    pages: dict[int, list] = {}
    for card, box in zip(cards, boxes, strict=True):
        pages.setdefault(box.page, []).append({"card": card, "box": box, "qr": _qr(card.link)})
    return render_to_string(
        "people/cards_pdf.html",
        {
            "pages": list(pages.values()),
            "marks": _marks_uri(),
            "card_width": CARD_WIDTH,
            "card_height": CARD_HEIGHT,
        },
    )


def cards_pdf(cards: list[Card], *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The sheet of these cards as PDF bytes. `progress(done, total)` is called after each chunk."""
    from weasyprint import HTML

    if not cards:
        raise ValueError("no cards to print")
    boxes = sheet_layout(len(cards))
    documents = []
    for start in range(0, len(cards), CHUNK):
        chunk = slice(start, start + CHUNK)  # CHUNK is a whole number of pages
        documents.append(HTML(string=_html(cards[chunk], boxes[chunk])).render())
        if progress:
            progress(min(start + CHUNK, len(cards)), len(cards))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
