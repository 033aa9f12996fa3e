"""Blocking keys of a person, from abwab.names: one script-independent key per name part."""

from abwab.names import name_key


def person_keys(
    first_ar: str, last_ar: str, first_latin: str, last_latin: str
) -> tuple[str, str, str]:
    """(first-name key, last-name key, order-free full key); the Arabic spelling wins when both exist."""
    first = name_key(first_ar) if first_ar else name_key(first_latin or "")
    last = name_key(last_ar) if last_ar else name_key(last_latin or "")
    full = " ".join(sorted(part for part in (first, last) if part))
    return first[:60], last[:60], full[:120]
