"""A rough Moroccan/French-style Latin rendering of Arabic names."""

from .arabic import clean, has_arabic

_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "ch",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "غ": "gh",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}
_SUN = set("تثدذرزسشصضطظلن")
_LONG = set("اآٱىة")
_VOWEL_OUT = set("aeiou")
_WORDS = {
    "الله": "allah",
    "محمد": "mohamed",
    "عبد": "abd",
    "ابو": "abou",
    "أبو": "abou",
    "بو": "bou",
    "بن": "ben",
    "ابن": "ibn",
    "إبن": "ibn",
    "ولد": "ould",
    "آيت": "ait",
    "أيت": "ait",
    "ايت": "ait",
}


def _translit_letter(tok: str, i: int, out: str) -> str:
    ch = tok[i]
    nxt = tok[i + 1] if i + 1 < len(tok) else ""
    after_vowel = out[-1:] in _VOWEL_OUT
    if ch in _CONSONANTS:
        return _CONSONANTS[ch]
    if ch in _LONG:
        return "" if ch == "ة" and out.endswith("a") else "a"
    if ch == "و":
        if i == 0:
            return "w"
        if nxt == "ي" and i + 2 == len(tok):
            return "ou" if after_vowel else "aou"  # nisba ending: Alaoui, Sahraoui
        return "w" if nxt in _LONG or not nxt and after_vowel else "ou"
    if ch == "ي":
        if i == 0:
            return "y"
        if nxt in _LONG or nxt == "و":
            return "y"
        return "" if out.endswith("i") else "i"
    if ch == "ع":
        return "" if after_vowel or nxt in _LONG else "a"
    if ch == "أ":
        return "" if after_vowel else "a"
    if ch == "إ":
        return "i"
    if ch == "ؤ":
        return "ou"
    if ch == "ئ":
        return "i"
    if ch == "ء":
        return "e" if out.endswith("a") and not nxt else ""
    return ch


def _translit_word(tok: str) -> str:
    out = ""
    last = len(tok) - 1
    for i in range(len(tok)):
        piece = _translit_letter(tok, i, out)
        is_cons = tok[i] in _CONSONANTS
        # Short vowels are not written: guess "a" after the first consonant and "e" before
        # a final one, which reads like the usual Moroccan spellings (Fatma, Khaled, Ahmed).
        if is_cons and out and out[-1] not in _VOWEL_OUT:
            if out == _CONSONANTS.get(tok[0]):
                out += "a"
            elif i == last:
                out += "e"
        out += piece
    return out


def _translit_token(tok: str) -> str:
    if tok in _WORDS:
        return _WORDS[tok]
    if len(tok) > 3 and tok.startswith("عبد"):
        rest = tok[3:]
        return (
            "abdel" + _translit_word(rest[2:])
            if rest.startswith("ال")
            else "abd" + _translit_word(rest)
        )
    if len(tok) > 3 and tok[:2] in ("ال", "ٱل"):
        head = tok[2]
        article = "e" + _CONSONANTS[head] if head in _SUN and head != "ل" else "el"
        return f"{article}-{_translit_token(tok[2:]).capitalize()}"
    return _translit_word(tok)


def transliterate_arabic(text: str) -> str:
    """Give a rough Latin rendering of an Arabic name, for display and cross-script search."""
    words = [_translit_token(tok) if has_arabic(tok) else tok for tok in clean(text).split()]
    return " ".join(word[:1].upper() + word[1:] for word in words)
