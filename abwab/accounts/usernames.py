"""One key per username: look-alike spellings (full-width letters, ligatures, other cases) of a
name are the same account, at creation, at login and in the login throttle."""

import unicodedata


def normalise_username(value: str) -> str:
    """NFKC, then case-folded, then NFKC again (case folding can undo the normal form, e.g. for
    U+0345), repeated until nothing changes, so that the key of a key is itself."""
    key = value
    for _round in range(4):  # two rounds suffice in practice; the bound only guards the loop
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", key).casefold())
        folded = folded.strip()
        if folded == key:
            break
        key = folded
    return key
