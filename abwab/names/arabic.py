"""Arabic-script name normalisation and a rough Moroccan-style Latin transliteration."""

import re
import unicodedata

_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Anything that is neither a letter nor a digit separates words; "_" counts as \w, so add it.
_SEPARATOR = re.compile(r"[\W_]+")

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, tatweel and invisible
# direction/joiner controls carry no identity for a name, so they are dropped outright.
_DROPPED = [
    *range(0x0610, 0x061B),
    0x061C,
    *range(0x064B, 0x0660),
    0x0670,
    0x0674,  # high hamza, what NFKC leaves of ٵ ٶ ٷ ٸ
    *range(0x06D6, 0x06EE),
    *range(0x08D3, 0x0900),
    0x0640,
    0x200B,
    0x200C,
    0x200D,
    0x200E,
    0x200F,
    0xFEFF,
]
# Persian, Urdu and Maghrebi look-alikes that people type for the Arabic letters.
_LOOKALIKES = {
    "ی": "ي",
    "ې": "ي",
    "ێ": "ي",
    "ۍ": "ي",
    "ک": "ك",
    "ګ": "ك",
    "ڪ": "ك",
    "گ": "ك",
    "ڭ": "ك",
    "ڨ": "ق",
    "ڤ": "ف",
    "ڥ": "ف",
    "پ": "ب",
    "چ": "ج",
    "ژ": "ز",
    "ھ": "ه",
    "ە": "ه",
    "ۀ": "ه",
    "ۃ": "ة",
    "ۆ": "و",
    "ۇ": "و",
    "ۈ": "و",
    "ۋ": "و",
    "ٲ": "أ",
    "ٳ": "إ",
    "ٵ": "أ",
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
_CLEAN = str.maketrans({**dict.fromkeys(_DROPPED), **_LOOKALIKES, **_DIGITS})

# The letters whose spelling varies from one writer to the next for the same name.
_UNIFY = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه", "ء": None}
)
_UNIFY_FOR_KEY = str.maketrans({"آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ء": None})

# A particle that forms one name with the word after it ("عبد الله" is one given name).
_PREFIXES = {
    "عبد": "عبد",
    "ابو": "ابو",
    "بو": "بو",
    "ابن": "بن",
    "بن": "بن",
    "ايت": "ايت",
    "ولد": "ولد",
    "ال": "ال",
}
# A word that forms one name with the word before it ("نور الدين", "فتح الله").
_SUFFIXES = {"الدين", "الله"}


def has_arabic(text: str) -> bool:
    """Tell whether the text contains any Arabic-script character."""
    return _ARABIC_CHAR.search(text) is not None


def clean(text: str) -> str:
    """Fold presentation forms, drop marks and look-alikes, and turn separators into spaces."""
    # NFKC folds presentation forms and ligatures (ﻣﺤﻤﺪ, ﻻ, ﷲ) back into plain letters.
    text = unicodedata.normalize("NFKC", text).translate(_CLEAN)
    return _SEPARATOR.sub(" ", text)


def join_compounds(tokens: list[str]) -> list[str]:
    """Glue particles to their neighbour so spaced and unspaced spellings give one token."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        unified = token.translate(_UNIFY)
        if unified in _PREFIXES and i + 1 < n:
            out.append(_PREFIXES[unified] + tokens[i + 1])
            i += 2
            continue
        if unified in _SUFFIXES and out:
            out[-1] += token
        else:
            out.append(token)
        i += 1
    return out


def normalize_arabic(text: str) -> str:
    """Return the canonical Arabic spelling used for matching (see the package docstring)."""
    return " ".join(join_compounds(clean(text).translate(_UNIFY).split()))


def key_tokens(text: str) -> list[str]:
    """Like normalize_arabic's words, but keeping ة and a hamza on the first alef.

    Those tell a final "-a" from "-at" (فاطمة, نجاة) and an article from a name that starts
    with إل (الهلالي, إلياس); the key needs both, the display form does not.
    """
    return [token.translate(_UNIFY_FOR_KEY) for token in join_compounds(clean(text).split())]


def strip_article(token: str) -> str:
    """Drop a leading definite article, keeping words too short to carry one."""
    return token[2:] if len(token) > 3 and token.startswith("ال") else token
