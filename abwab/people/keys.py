"""Blocking keys and comparable names of a person, from abwab.names (script-independent keys)."""

from abwab.names import full_name_keys


def person_keys(
    first_ar: str, last_ar: str, first_latin: str, last_latin: str
) -> tuple[str, str, str]:
    """(first-name key, last-name key, order-free full key); each part from Arabic when present."""
    keys = full_name_keys(first_ar or first_latin or "", last_ar or last_latin or "")
    return keys.first[:60], keys.last[:60], keys.unordered[:120]


def all_full_keys(first_ar: str, last_ar: str, first_latin: str, last_latin: str) -> set[str]:
    """Every order-free key the name gives, one per script (for lookups across scripts)."""
    keys = {
        full_name_keys(first_ar or first_latin or "", last_ar or last_latin or "").unordered,
        full_name_keys(first_latin or first_ar or "", last_latin or last_ar or "").unordered,
    }
    return {key[:120] for key in keys if key}


def full_names(first_ar: str, last_ar: str, first_latin: str, last_latin: str) -> list[str]:
    """The full name in each script, a missing part borrowed from the other script, for scoring."""
    names = {
        f"{first_ar or first_latin or ''} {last_ar or last_latin or ''}".strip(),
        f"{first_latin or first_ar or ''} {last_latin or last_ar or ''}".strip(),
    }
    return sorted(name for name in names if name)
