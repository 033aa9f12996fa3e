"""Script-independent consonant-skeleton keys, usable as database blocking keys."""

import re
from functools import lru_cache
from typing import NamedTuple

from .arabic import has_arabic, key_tokens, strip_article
from .latin import normalize_latin

# Consonant classes shared by both scripts: b t d s z c(sh) j k x(kh) g(gh) h f l m n r w y.
# "." marks a vowel so that only adjacent repeats collapse (Haddad = Hadad = حداد = "hdd", where
# dropping vowels first would give "hd"); it disappears afterwards.
_ARABIC_CLASSES = str.maketrans(
    {
        "ب": "b",
        "ت": "t",
        "ث": "t",
        "ج": "j",
        "ح": "h",
        "خ": "x",
        "د": "d",
        "ذ": "d",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "c",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "d",
        "ع": ".",
        "غ": "g",
        "ف": "f",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "و": ".",
        "ي": ".",
        "ا": ".",
        "ة": ".",
        "ػ": "k",
        "ؼ": "k",
        "ؽ": ".",
        "ؾ": ".",
        "ؿ": ".",
    }
)
_NOT_ARABIC_LETTER = re.compile("[^\u0621-\u064a]")
_ARABIC_VOWEL_END = set("اويع")
# The article after a particle is assimilated or dropped in Latin (Boutayeb, Ait Taleb), and so
# is the one of الدين (Noureddine); "abd" keeps it, as Latin "Abdel-" does.
_PARTICLE_ARTICLE = re.compile("^(ابو|بو|بن|ايت|ولد)ال")

# Latin spellings are rewritten to the same classes; upper case marks a digraph already read.
_DIGRAPHS = (
    ("sch", "C"),
    ("ch", "C"),
    ("sh", "C"),
    ("kh", "X"),
    ("gh", "G"),
    ("dj", "j"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("qu", "k"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_LATIN_CLASSES = str.maketrans(
    {
        **dict.fromkeys("aeiouyw", "."),
        "b": "b",
        "p": "b",
        "t": "t",
        "d": "d",
        "s": "s",
        "z": "z",
        "C": "c",
        "j": "j",
        "g": "j",
        "G": "g",
        "k": "k",
        "q": "k",
        "c": "k",
        "X": "x",
        "x": "ks",
        "h": "h",
        "f": "f",
        "v": "f",
        "l": "l",
        "m": "m",
        "n": "n",
        "r": "r",
        "W": "w",
        "Y": "y",
    }
)
_NOT_LATIN_LETTER = re.compile("[^a-z]")
_VOWELS = frozenset("aeiouy")
_DOUBLE = re.compile(r"(.)\1+")


def _finish(classes: str) -> str:
    skeleton = _DOUBLE.sub(r"\1", classes).replace(".", "")
    # An h after t or d is either a digraph (Othman, Fadhila) or a written ح/ه that Latin
    # spellings often fold into it (Fathi, Adham): drop it on both sides.
    skeleton = skeleton.replace("th", "t").replace("dh", "d")
    # A leading l is often the article: Lamrani/العمراني, Elfassi/الفاسي, Larbi/العربي.
    if len(skeleton) >= 3 and skeleton[0] == "l":
        skeleton = skeleton[1:]
    return skeleton


@lru_cache(maxsize=65536)
def _arabic_token_key(token: str) -> tuple[str, bool]:
    token = strip_article(_NOT_ARABIC_LETTER.sub("", token)).replace("أ", "ا").replace("إ", "ا")
    token = _PARTICLE_ARTICLE.sub(r"\1", token).replace("الدين", "دين")
    if not token:
        return "", False
    last = token[-1]
    vowel_end = last in _ARABIC_VOWEL_END
    if last == "ة" and token[-2:-1] == "ا":
        token, vowel_end = token[:-1] + "ت", False  # نجاة, حياة: Najat, Hayat
    elif last in "ةهح" and len(token) > 1:
        # Final ة/ه/ح is written "-a", "-ah", "-eh" in Latin: Fatima, Abdellah, Salah, Saleh.
        token, vowel_end = token[:-1], True
    classes = token.translate(_ARABIC_CLASSES)
    if token[0] in "وي":  # a word-initial و/ي is a consonant, elsewhere a long vowel
        classes = ("w" if token[0] == "و" else "y") + classes[1:]
    return _finish(classes), vowel_end


@lru_cache(maxsize=65536)
def _latin_token_key(token: str) -> tuple[str, bool]:
    if not token.isalpha():
        token = _NOT_LATIN_LETTER.sub("", token)
    if token.startswith("ould"):
        token = "w" + token[1:]
    if len(token) >= 2 and token[-1] == "e" and token[-2] not in _VOWELS:
        token = token[:-1]  # French silent e: Amine, Imane
    if len(token) >= 2 and token[-1] == "h" and token[-2] in _VOWELS:
        token = token[:-1]  # Fatimah, Abdellah, Saleh: a final ة/ه/ح
    if not token:
        return "", False
    vowel_end = token[-1] in _VOWELS
    if token[0] == "w":
        token = "W" + token[1:]
    elif token[0] == "y" and token[1:2] in _VOWELS:
        token = "Y" + token[1:]
    elif token.startswith("ly") and token[2:3] in _VOWELS:
        token = "Y" + token[2:]  # Lyoussi: the article before ي
    elif token.startswith("ou") and token[2:3] in _VOWELS:
        token = "W" + token[2:]  # Ouafa, Ouardi: a written و
    for digraph, code in _DIGRAPHS:
        token = token.replace(digraph, code)
    if "c" in token:
        token = _SOFT_C.sub("s", token)
    return _finish(token.translate(_LATIN_CLASSES)), vowel_end


def _token_parts(text: str) -> list[tuple[str, bool]]:
    if has_arabic(text):
        parts = []
        for token in key_tokens(text):
            if has_arabic(token):
                parts.append(_arabic_token_key(token))
            else:
                parts.extend(map(_latin_token_key, normalize_latin(token).split()))
    else:
        parts = [_latin_token_key(token) for token in normalize_latin(text).split()]
    return [part for part in parts if part[0] or part[1]]


def _key(skeleton: str, vowel_end: bool) -> str:
    return skeleton + "a" if vowel_end else skeleton


@lru_cache(maxsize=131072)
def name_key(text: str) -> str:
    """Return the phonetic key of a name (one or more words) in Arabic or Latin script."""
    parts = _token_parts(text)
    if not parts:
        return ""
    skeleton = ""
    for part, _ in parts:
        # Merge a consonant doubled across words, as if written glued: "Nour Rahmane".
        skeleton += part[1:] if skeleton and part[:1] == skeleton[-1:] else part
    return _key(skeleton, parts[-1][1])


def token_keys(text: str) -> tuple[str, ...]:
    """Return the phonetic key of each word of a name, in order."""
    return tuple(_key(*part) for part in _token_parts(text))


class NameKeys(NamedTuple):
    """Blocking keys of a person's name; `unordered` survives swapped first/last names."""

    first: str
    last: str
    full: str
    unordered: str


def full_name_keys(first: str, last: str) -> NameKeys:
    """Return the blocking keys of a first name and last name pair."""
    first_key, last_key = name_key(first), name_key(last)
    keys = [key for key in (first_key, last_key) if key]
    return NameKeys(first_key, last_key, " ".join(keys), " ".join(sorted(keys)))
