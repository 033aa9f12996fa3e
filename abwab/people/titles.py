"""Titles of functions and mandates that agree with the people they name, in Arabic and French.

Pure module (no database): texts that list people (the communiqué, invitations, body pages) ask it
for "the two regional secretaries" or "la présidente du conseil communal" instead of a bare label.

Arabic grammar, as the party's press office writes it:
- Number: 1 is singular, 2 is the dual, 3 and more the plural (no number word is written before
  the title, so the plural stays the plural whatever the count).
- Gender: "F" gives the feminine; "M", "" and None the masculine, which Arabic also uses for a
  group of men and women (pass "F" for a group only when everyone in it is a woman).
- Case: the dual and the sound masculine plural change with the case. The default is the
  **nominative** (الأمينان، النائبون) because the communiqué names those who attended as the
  subject of "حضر": "حضر الأمينان الإقليميان ...". After a preposition or in a construct ("بحضور"،
  "بمشاركة") pass ``case="genitive"`` (الأمينين، النائبين). The broken plurals (الأمناء، الرؤساء)
  and the feminine plurals are the same in both cases.
- Definiteness: ``definite=True`` writes the article (الأمين الجهوي); ``False`` drops it from every
  word (أمين جهوي). In a construct (نائب الرئيس) only the complement carries it.

French: ``definite=True`` adds the article (le, la, les; l' before a vowel), ``False`` gives the
bare title for an apposition ("M. X, secrétaire régional"). The dual is the plural.
"""

from __future__ import annotations

from dataclasses import dataclass

NOMINATIVE = "nominative"
GENITIVE = "genitive"
FEMALE = "F"

# Keys of the forms: number is 1 (singular), 2 (dual) or 3 (plural).
SINGULAR, DUAL, PLURAL = 1, 2, 3


def number_of(count: int) -> int:
    """1, 2 or 3 (singular, dual, plural) for a head count."""
    if count < 1:
        raise ValueError("a title names at least one person")
    return min(count, PLURAL)


def _feminine(gender: str | None) -> bool:
    return gender == FEMALE


# --- Arabic -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Noun:
    """An Arabic head noun: its masculine singular and its plurals (dual and feminine are regular)."""

    masculine: str
    plural: str  # masculine plural: broken (أمناء) or the stem of a sound one (مدير + ون)
    sound_plural: bool = False

    def form(self, *, feminine: bool, number: int, case: str, construct: bool) -> str:
        """The noun alone, without the article; a construct (إضافة) drops the dual's and sound
        plural's final ن."""
        if feminine:
            stem = self.masculine + "ة"
            if number == SINGULAR:
                return stem
            if number == DUAL:
                ending = "تا" if construct else "تان"
                if case == GENITIVE:
                    ending = "تي" if construct else "تين"
                return self.masculine + ending
            return self.masculine + "ات"
        if number == SINGULAR:
            return self.masculine
        if number == DUAL:
            if case == GENITIVE:
                return self.masculine + ("ي" if construct else "ين")
            return self.masculine + ("ا" if construct else "ان")
        if not self.sound_plural:
            return self.plural
        if case == GENITIVE:
            return self.plural + ("ي" if construct else "ين")
        return self.plural + ("و" if construct else "ون")


def _adjective(stem: str, *, feminine: bool, number: int, case: str) -> str:
    """A regular adjective (جهوي، عام، رسمي، برلماني) agreeing with its noun."""
    genitive = case == GENITIVE
    if feminine:
        return {SINGULAR: stem + "ة", DUAL: stem + ("تين" if genitive else "تان")}.get(
            number, stem + "ات"
        )
    return {
        SINGULAR: stem,
        DUAL: stem + ("ين" if genitive else "ان"),
        PLURAL: stem + ("ين" if genitive else "ون"),
    }[number]


def _definite(word: str) -> str:
    return "ال" + word


@dataclass(frozen=True)
class ArabicTitle:
    """A title as a noun, adjectives agreeing with it, or a construct complement (إضافة).

    The complement is written with the article and in the genitive; it has its own forms by
    number where several holders mean several councils (رؤساء المجالس الجماعية).
    """

    noun: Noun
    adjectives: tuple[str, ...] = ()
    complement: tuple[str, str, str] | None = None  # singular, dual, plural (definite, genitive)

    def render(self, *, feminine: bool, number: int, case: str, definite: bool) -> str:
        construct = self.complement is not None
        head = self.noun.form(feminine=feminine, number=number, case=case, construct=construct)
        if construct:
            complement = self.complement[number - 1]
            if not definite:
                complement = _strip_article(complement)
            return f"{head} {complement}"
        words = [head] + [
            _adjective(stem, feminine=feminine, number=number, case=case)
            for stem in self.adjectives
        ]
        return " ".join(_definite(word) if definite else word for word in words)


def _strip_article(text: str) -> str:
    return " ".join(word.removeprefix("ال") for word in text.split(" "))


AMIN = Noun("أمين", "أمناء")
RAIS = Noun("رئيس", "رؤساء")
NAIB = Noun("نائب", "نواب")
ODW = Noun("عضو", "أعضاء")
MUDIR = Noun("مدير", "مدير", sound_plural=True)
NATIQ = Noun("ناطق", "ناطق", sound_plural=True)
MUSTASHAR = Noun("مستشار", "مستشار", sound_plural=True)
WAZIR = Noun("وزير", "وزراء")


def _fixed(complement: str) -> tuple[str, str, str]:
    """A complement that stays singular (one president has several deputies)."""
    return (complement, complement, complement)


ARABIC_FUNCTIONS: dict[str, ArabicTitle] = {
    "secretary_general": ArabicTitle(AMIN, ("عام",)),
    "regional_secretary": ArabicTitle(AMIN, ("جهوي",)),
    "provincial_secretary": ArabicTitle(AMIN, ("إقليمي",)),
    "local_secretary": ArabicTitle(AMIN, ("محلي",)),
    "president": ArabicTitle(RAIS),
    "vice_president": ArabicTitle(NAIB, complement=_fixed("الرئيس")),
    "deputy_secretary": ArabicTitle(NAIB, complement=_fixed("الأمين")),
    "treasurer": ArabicTitle(AMIN, complement=_fixed("المال")),
    # One head per group: two heads head two groups.
    "group_head": ArabicTitle(RAIS, complement=("الفريق", "الفريقين", "الفرق")),
    "director": ArabicTitle(MUDIR),
    "spokesperson": ArabicTitle(NATIQ, ("رسمي",)),
    "member": ArabicTitle(ODW),
}

# --- French -----------------------------------------------------------------------------------

# Masculine singular, feminine singular, masculine plural, feminine plural.
FRENCH_FUNCTIONS: dict[str, tuple[str, str, str, str]] = {
    "secretary_general": (
        "secrétaire général",
        "secrétaire générale",
        "secrétaires généraux",
        "secrétaires générales",
    ),
    "regional_secretary": (
        "secrétaire régional",
        "secrétaire régionale",
        "secrétaires régionaux",
        "secrétaires régionales",
    ),
    "provincial_secretary": (
        "secrétaire provincial",
        "secrétaire provinciale",
        "secrétaires provinciaux",
        "secrétaires provinciales",
    ),
    "local_secretary": (
        "secrétaire local",
        "secrétaire locale",
        "secrétaires locaux",
        "secrétaires locales",
    ),
    "president": ("président", "présidente", "présidents", "présidentes"),
    "vice_president": ("vice-président", "vice-présidente", "vice-présidents", "vice-présidentes"),
    "deputy_secretary": (
        "secrétaire adjoint",
        "secrétaire adjointe",
        "secrétaires adjoints",
        "secrétaires adjointes",
    ),
    "treasurer": ("trésorier", "trésorière", "trésoriers", "trésorières"),
    "group_head": (
        "président du groupe",
        "présidente du groupe",
        "présidents des groupes",
        "présidentes des groupes",
    ),
    "director": ("directeur", "directrice", "directeurs", "directrices"),
    "spokesperson": ("porte-parole", "porte-parole", "porte-parole", "porte-parole"),
    "member": ("membre", "membre", "membres", "membres"),
}


def _french(forms: tuple[str, str, str, str], *, feminine: bool, number: int, definite: bool):
    plural = number > SINGULAR
    title = forms[(2 if plural else 0) + (1 if feminine else 0)]
    if not definite:
        return title
    if plural:
        return f"les {title}"
    if title[0] in "aeéèêiouhy":
        return f"l'{title}"
    return f"la {title}" if feminine else f"le {title}"


def _check(language: str, case: str) -> None:
    if language not in ("ar", "fr"):
        raise ValueError(f"no titles in {language!r}")
    if case not in (NOMINATIVE, GENITIVE):
        raise ValueError(f"unknown case {case!r}")


def function_title(
    function: str,
    *,
    language: str,
    gender: str | None,
    count: int = 1,
    definite: bool = True,
    case: str = NOMINATIVE,
) -> str:
    """The title of a function in a party body, agreeing in gender and number ("ar" or "fr").

    Arabic defaults to the nominative, the case of those who attended after "حضر" (see the
    module docstring); pass ``case="genitive"`` after a preposition. Raises KeyError for an unknown
    function.
    """
    _check(language, case)
    number = number_of(count)
    feminine = _feminine(gender)
    if language == "ar":
        return ARABIC_FUNCTIONS[function].render(
            feminine=feminine, number=number, case=case, definite=definite
        )
    return _french(FRENCH_FUNCTIONS[function], feminine=feminine, number=number, definite=definite)


# --- Mandates ----------------------------------------------------------------------------------

# Arabic council names: singular, dual, plural (genitive, definite), for a role with one holder per
# council (president, group head): three presidents are presidents of three councils.
_AR_COUNCILS: dict[str, tuple[str, str, str]] = {
    "parliament": _fixed("مجلس النواب"),
    "councillors": _fixed("مجلس المستشارين"),
    "government": _fixed("الحكومة"),
    "regional_council": ("مجلس الجهة", "مجلسي الجهتين", "مجالس الجهات"),
    "provincial_council": ("المجلس الإقليمي", "المجلسين الإقليميين", "المجالس الإقليمية"),
    "communal_council": ("المجلس الجماعي", "المجلسين الجماعيين", "المجالس الجماعية"),
}
# French: singular and plural ("du conseil communal", "des conseils communaux").
_FR_COUNCILS: dict[str, tuple[str, str]] = {
    "parliament": ("de la Chambre des représentants", "de la Chambre des représentants"),
    "councillors": ("de la Chambre des conseillers", "de la Chambre des conseillers"),
    "government": ("du gouvernement", "du gouvernement"),
    "regional_council": ("du conseil régional", "des conseils régionaux"),
    "provincial_council": ("du conseil provincial", "des conseils provinciaux"),
    "communal_council": ("du conseil communal", "des conseils communaux"),
}
_FR_IN_COUNCILS: dict[str, tuple[str, str]] = {
    "parliament": ("à la Chambre des représentants", "à la Chambre des représentants"),
    "councillors": ("à la Chambre des conseillers", "à la Chambre des conseillers"),
    "government": ("au gouvernement", "au gouvernement"),
    "regional_council": ("au conseil régional", "aux conseils régionaux"),
    "provincial_council": ("au conseil provincial", "aux conseils provinciaux"),
    "communal_council": ("au conseil communal", "aux conseils communaux"),
}
_AR_IN_COUNCILS: dict[str, tuple[str, str, str]] = {
    "parliament": _fixed("بمجلس النواب"),
    "councillors": _fixed("بمجلس المستشارين"),
    "government": _fixed("بالحكومة"),
    "regional_council": ("بمجلس الجهة", "بمجلسي الجهتين", "بمجالس الجهات"),
    "provincial_council": ("بالمجلس الإقليمي", "بالمجلسين الإقليميين", "بالمجالس الإقليمية"),
    "communal_council": ("بالمجلس الجماعي", "بالمجلسين الجماعيين", "بالمجالس الجماعية"),
}

# Members of the two houses have a title of their own (النائب البرلماني، المستشار البرلماني).
_AR_MEMBERS = {
    "parliament": ArabicTitle(NAIB, ("برلماني",)),
    "councillors": ArabicTitle(MUSTASHAR, ("برلماني",)),
    "government": ArabicTitle(WAZIR),
}
_FR_MEMBERS = {
    "parliament": ("député", "députée", "députés", "députées"),
    "councillors": (
        "conseiller parlementaire",
        "conseillère parlementaire",
        "conseillers parlementaires",
        "conseillères parlementaires",
    ),
    "government": ("ministre", "ministre", "ministres", "ministres"),
}
_FR_ROLES = {
    "president": ("président", "présidente", "présidents", "présidentes"),
    "vice_president": ("vice-président", "vice-présidente", "vice-présidents", "vice-présidentes"),
    "member": ("membre", "membre", "membres", "membres"),
    "group_head": (
        "président du groupe",
        "présidente du groupe",
        "présidents des groupes",
        "présidentes des groupes",
    ),
    "minister": ("ministre", "ministre", "ministres", "ministres"),
}


def _arabic_mandate(institution: str, role: str) -> ArabicTitle:
    if role in ("member", "minister") and institution in _AR_MEMBERS:
        return _AR_MEMBERS[institution]
    if role == "minister":
        return ArabicTitle(WAZIR)
    councils = _AR_COUNCILS[institution]
    if role == "president":
        return ArabicTitle(RAIS, complement=councils)
    if role == "vice_president":  # the deputies of one president: the council stays singular
        return ArabicTitle(NAIB, complement=_fixed("رئيس " + councils[0]))
    if role == "group_head":
        place = _AR_IN_COUNCILS[institution]
        return ArabicTitle(
            RAIS,
            complement=tuple(f"{group} {at}" for group, at in zip(_GROUPS, place, strict=True)),
        )
    if role == "member":  # members of one council: it stays singular
        return ArabicTitle(ODW, complement=_fixed(councils[0]))
    raise KeyError(role)


_GROUPS = ("الفريق", "الفريقين", "الفرق")


def _french_mandate(institution: str, role: str, *, number: int) -> tuple[str, str, str, str]:
    if role in ("member", "minister") and institution in _FR_MEMBERS:
        return _FR_MEMBERS[institution]
    forms = _FR_ROLES[role]
    if role == "minister":
        return forms
    plural = number > SINGULAR
    if role == "group_head":
        at = _FR_IN_COUNCILS[institution][1 if plural else 0]
        return tuple(f"{form} {at}" for form in forms)  # type: ignore[return-value]
    # One president per council; several deputies or members sit in the same one.
    of = _FR_COUNCILS[institution][1 if plural and role == "president" else 0]
    return tuple(f"{form} {of}" for form in forms)  # type: ignore[return-value]


def mandate_title(
    institution: str,
    role: str,
    *,
    language: str,
    gender: str | None,
    count: int = 1,
    definite: bool = True,
    case: str = NOMINATIVE,
) -> str:
    """The title of an elected mandate with its institution (النائب البرلماني، رئيس المجلس الجماعي,
    députée, présidents des conseils communaux), agreeing in gender and number.

    Presidents and group heads are one per council, so several of them name several councils;
    vice-presidents and members stay with one council. The territory is the caller's to add.
    """
    _check(language, case)
    number = number_of(count)
    feminine = _feminine(gender)
    if language == "ar":
        return _arabic_mandate(institution, role).render(
            feminine=feminine, number=number, case=case, definite=definite
        )
    forms = _french_mandate(institution, role, number=number)
    return _french(forms, feminine=feminine, number=number, definite=definite)


# --- Names ------------------------------------------------------------------------------------


def honorific(gender: str | None, language: str) -> str:
    """السيد/السيدة or M./Mme; the masculine when the gender is not recorded, as the press does."""
    _check(language, NOMINATIVE)
    if language == "ar":
        return "السيدة" if _feminine(gender) else "السيد"
    return "Mme" if _feminine(gender) else "M."


def join_names(names, language: str) -> str:
    """A list read aloud: "A، B وC" in Arabic (و joined to the last name), "A, B et C" in French."""
    _check(language, NOMINATIVE)
    names = [str(name) for name in names]
    if len(names) <= 1:
        return names[0] if names else ""
    head, last = names[:-1], names[-1]
    if language == "ar":
        return f"{'، '.join(head)} و{last}"
    return f"{', '.join(head)} et {last}"
