"""Printable membership cards (PDF): names in both scripts, card number, region, and a QR code that
opens the member's record for a user allowed to see it."""

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from abwab.people.services import region_of


def cards_pdf(memberships, *, base_url: str) -> bytes:
    """One A4 page of cards per eight members, Arabic shaped by WeasyPrint."""
    from weasyprint import HTML

    cards = []
    for membership in memberships:
        link = base_url.rstrip("/") + reverse("people:detail", args=[membership.person_id])
        qr = mark_safe(segno.make(link, error="m").svg_inline(scale=3))  # noqa: S308 - segno's SVG
        cards.append(
            {"membership": membership, "region": region_of(membership.territory), "qr": qr}
        )
    html = render_to_string("people/cards_pdf.html", {"cards": cards})
    return HTML(string=html, base_url=base_url).write_pdf()
