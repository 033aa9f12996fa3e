"""Blocking keys of a person, from abwab.names: one script-independent key per name part."""

from abwab.names import full_name_keys


def person_keys(
    first_ar: str, last_ar: str, first_latin: str, last_latin: str
) -> tuple[str, str, str]:
    """(first-name key, last-name key, order-free full key); the Arabic spelling wins when both exist."""
    keys = (
        full_name_keys(first_ar, last_ar)
        if (first_ar or last_ar)
        else full_name_keys(first_latin, last_latin)
    )
    return keys.first[:60], keys.last[:60], keys.unordered[:120]


def all_full_keys(first_ar: str, last_ar: str, first_latin: str, last_latin: str) -> set[str]:
    """Every order-free key the name gives, one per script present (for lookups across scripts)."""
    keys = {
        full_name_keys(first_ar, last_ar).unordered,
        full_name_keys(first_latin, last_latin).unordered,
    }
    return {key[:120] for key in keys if key}
