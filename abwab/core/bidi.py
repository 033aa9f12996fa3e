"""Text that mixes directions: numbers, codes and Latin names inside Arabic, Arabic inside French.

The Unicode bidirectional algorithm reorders neighbouring runs: a card number "03-2026-000401"
after an Arabic word reads "000401-2026-03", a French line "Ordinaire · 30 · <Arabic name> ·
30 novembre 2026" swaps its pieces. Isolating each piece keeps it whole and in its place: in
HTML with <bdi> (templates, `abwab.core.templatetags.display`), in plain text (messages, exports)
with the Unicode isolates below.
"""

from collections.abc import Iterable

from django.utils import translation

LRI = "\u2066"  # left-to-right isolate
FSI = "\u2068"  # first-strong isolate (direction from the text itself)
PDI = "\u2069"  # pop directional isolate


def isolate_ltr(text) -> str:
    """Plain text kept left to right and apart from its neighbours (a card number, a phone)."""
    return f"{LRI}{text}{PDI}"


def isolate(text) -> str:
    """Plain text kept apart from its neighbours, its direction taken from its own first letter."""
    return f"{FSI}{text}{PDI}"


def list_separator(language: str | None = None) -> str:
    """ "، " in Arabic, ", " in French (and any other language)."""
    language = language or translation.get_language() or "ar"
    return "، " if language.startswith("ar") else ", "


def join_list(items: Iterable, language: str | None = None) -> str:
    """The items as a list, with the Arabic comma on Arabic pages."""
    return list_separator(language).join(str(item) for item in items)


def forward_arrow(rtl: bool | None = None) -> str:
    """The arrow for "from … to …" / "next step": ← in a right-to-left text, → otherwise."""
    if rtl is None:
        rtl = translation.get_language_bidi()
    return "←" if rtl else "→"
