"""Titles agree with the people they name: every function and mandate by gender and number."""

import pytest

from abwab.people.models import Function
from abwab.people.titles import function_title, honorific, join_names, mandate_title

# function: (m1, f1, m2, f2, m3, f3) in the nominative, definite.
ARABIC = {
    "secretary_general": (
        "الأمين العام",
        "الأمينة العامة",
        "الأمينان العامان",
        "الأمينتان العامتان",
        "الأمناء العامون",
        "الأمينات العامات",
    ),
    "regional_secretary": (
        "الأمين الجهوي",
        "الأمينة الجهوية",
        "الأمينان الجهويان",
        "الأمينتان الجهويتان",
        "الأمناء الجهويون",
        "الأمينات الجهويات",
    ),
    "provincial_secretary": (
        "الأمين الإقليمي",
        "الأمينة الإقليمية",
        "الأمينان الإقليميان",
        "الأمينتان الإقليميتان",
        "الأمناء الإقليميون",
        "الأمينات الإقليميات",
    ),
    "local_secretary": (
        "الأمين المحلي",
        "الأمينة المحلية",
        "الأمينان المحليان",
        "الأمينتان المحليتان",
        "الأمناء المحليون",
        "الأمينات المحليات",
    ),
    "president": ("الرئيس", "الرئيسة", "الرئيسان", "الرئيستان", "الرؤساء", "الرئيسات"),
    "vice_president": (
        "نائب الرئيس",
        "نائبة الرئيس",
        "نائبا الرئيس",
        "نائبتا الرئيس",
        "نواب الرئيس",
        "نائبات الرئيس",
    ),
    "deputy_secretary": (
        "نائب الأمين",
        "نائبة الأمين",
        "نائبا الأمين",
        "نائبتا الأمين",
        "نواب الأمين",
        "نائبات الأمين",
    ),
    "treasurer": (
        "أمين المال",
        "أمينة المال",
        "أمينا المال",
        "أمينتا المال",
        "أمناء المال",
        "أمينات المال",
    ),
    "group_head": (
        "رئيس الفريق",
        "رئيسة الفريق",
        "رئيسا الفريقين",
        "رئيستا الفريقين",
        "رؤساء الفرق",
        "رئيسات الفرق",
    ),
    "director": ("المدير", "المديرة", "المديران", "المديرتان", "المديرون", "المديرات"),
    "spokesperson": (
        "الناطق الرسمي",
        "الناطقة الرسمية",
        "الناطقان الرسميان",
        "الناطقتان الرسميتان",
        "الناطقون الرسميون",
        "الناطقات الرسميات",
    ),
    "member": ("العضو", "العضوة", "العضوان", "العضوتان", "الأعضاء", "العضوات"),
}

# The forms that change in the genitive (after بحضور): m2, f2, m3, f3.
ARABIC_GENITIVE = {
    "regional_secretary": (
        "الأمينين الجهويين",
        "الأمينتين الجهويتين",
        "الأمناء الجهويين",
        "الأمينات الجهويات",
    ),
    "vice_president": ("نائبي الرئيس", "نائبتي الرئيس", "نواب الرئيس", "نائبات الرئيس"),
    "director": ("المديرين", "المديرتين", "المديرين", "المديرات"),
    "member": ("العضوين", "العضوتين", "الأعضاء", "العضوات"),
}

# function: (m1, f1, m-plural, f-plural), without the article.
FRENCH = {
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


def test_every_function_has_its_forms():
    assert set(ARABIC) == set(Function.values) == set(FRENCH)


@pytest.mark.parametrize("function", sorted(ARABIC))
def test_arabic_function_titles(function):
    m1, f1, m2, f2, m3, f3 = ARABIC[function]
    got = [
        function_title(function, language="ar", gender=gender, count=count)
        for count in (1, 2, 3)
        for gender in ("M", "F")
    ]
    assert got == [m1, f1, m2, f2, m3, f3]
    # Mixed or unknown genders take the masculine; any count above two is the plural.
    assert function_title(function, language="ar", gender=None, count=7) == m3
    assert function_title(function, language="ar", gender="", count=1) == m1


@pytest.mark.parametrize("function", sorted(ARABIC_GENITIVE))
def test_arabic_genitive_titles(function):
    got = [
        function_title(function, language="ar", gender=gender, count=count, case="genitive")
        for count in (2, 3)
        for gender in ("M", "F")
    ]
    assert got == list(ARABIC_GENITIVE[function])


def test_arabic_indefinite_titles():
    title = function_title
    assert title("regional_secretary", language="ar", gender="F", definite=False) == "أمينة جهوية"
    assert title("member", language="ar", gender="M", count=3, definite=False) == "أعضاء"
    assert title("treasurer", language="ar", gender="M", definite=False) == "أمين مال"


@pytest.mark.parametrize("function", sorted(FRENCH))
def test_french_function_titles(function):
    m1, f1, m3, f3 = FRENCH[function]
    bare = [
        function_title(function, language="fr", gender=gender, count=count, definite=False)
        for count in (1, 2, 3)
        for gender in ("M", "F")
    ]
    assert bare == [m1, f1, m3, f3, m3, f3]
    assert function_title(function, language="fr", gender="M") == f"le {m1}"
    assert function_title(function, language="fr", gender="F") == f"la {f1}"
    assert function_title(function, language="fr", gender=None, count=2) == f"les {m3}"


# (institution, role): Arabic m1, f1, m2, f2, m3, f3; French m1, f1, m-plural, f-plural.
MANDATES = {
    ("parliament", "member"): (
        (
            "النائب البرلماني",
            "النائبة البرلمانية",
            "النائبان البرلمانيان",
            "النائبتان البرلمانيتان",
            "النواب البرلمانيون",
            "النائبات البرلمانيات",
        ),
        ("député", "députée", "députés", "députées"),
    ),
    ("councillors", "member"): (
        (
            "المستشار البرلماني",
            "المستشارة البرلمانية",
            "المستشاران البرلمانيان",
            "المستشارتان البرلمانيتان",
            "المستشارون البرلمانيون",
            "المستشارات البرلمانيات",
        ),
        (
            "conseiller parlementaire",
            "conseillère parlementaire",
            "conseillers parlementaires",
            "conseillères parlementaires",
        ),
    ),
    ("parliament", "president"): (
        (
            "رئيس مجلس النواب",
            "رئيسة مجلس النواب",
            "رئيسا مجلس النواب",
            "رئيستا مجلس النواب",
            "رؤساء مجلس النواب",
            "رئيسات مجلس النواب",
        ),
        (
            "président de la Chambre des représentants",
            "présidente de la Chambre des représentants",
            "présidents de la Chambre des représentants",
            "présidentes de la Chambre des représentants",
        ),
    ),
    ("government", "minister"): (
        ("الوزير", "الوزيرة", "الوزيران", "الوزيرتان", "الوزراء", "الوزيرات"),
        ("ministre", "ministre", "ministres", "ministres"),
    ),
    ("communal_council", "president"): (
        (
            "رئيس المجلس الجماعي",
            "رئيسة المجلس الجماعي",
            "رئيسا المجلسين الجماعيين",
            "رئيستا المجلسين الجماعيين",
            "رؤساء المجالس الجماعية",
            "رئيسات المجالس الجماعية",
        ),
        (
            "président du conseil communal",
            "présidente du conseil communal",
            "présidents des conseils communaux",
            "présidentes des conseils communaux",
        ),
    ),
    ("provincial_council", "president"): (
        (
            "رئيس المجلس الإقليمي",
            "رئيسة المجلس الإقليمي",
            "رئيسا المجلسين الإقليميين",
            "رئيستا المجلسين الإقليميين",
            "رؤساء المجالس الإقليمية",
            "رئيسات المجالس الإقليمية",
        ),
        (
            "président du conseil provincial",
            "présidente du conseil provincial",
            "présidents des conseils provinciaux",
            "présidentes des conseils provinciaux",
        ),
    ),
    ("regional_council", "president"): (
        (
            "رئيس مجلس الجهة",
            "رئيسة مجلس الجهة",
            "رئيسا مجلسي الجهتين",
            "رئيستا مجلسي الجهتين",
            "رؤساء مجالس الجهات",
            "رئيسات مجالس الجهات",
        ),
        (
            "président du conseil régional",
            "présidente du conseil régional",
            "présidents des conseils régionaux",
            "présidentes des conseils régionaux",
        ),
    ),
    ("regional_council", "vice_president"): (
        (
            "نائب رئيس مجلس الجهة",
            "نائبة رئيس مجلس الجهة",
            "نائبا رئيس مجلس الجهة",
            "نائبتا رئيس مجلس الجهة",
            "نواب رئيس مجلس الجهة",
            "نائبات رئيس مجلس الجهة",
        ),
        (
            "vice-président du conseil régional",
            "vice-présidente du conseil régional",
            "vice-présidents du conseil régional",
            "vice-présidentes du conseil régional",
        ),
    ),
    ("communal_council", "member"): (
        (
            "عضو المجلس الجماعي",
            "عضوة المجلس الجماعي",
            "عضوا المجلس الجماعي",
            "عضوتا المجلس الجماعي",
            "أعضاء المجلس الجماعي",
            "عضوات المجلس الجماعي",
        ),
        (
            "membre du conseil communal",
            "membre du conseil communal",
            "membres du conseil communal",
            "membres du conseil communal",
        ),
    ),
    ("regional_council", "group_head"): (
        (
            "رئيس الفريق بمجلس الجهة",
            "رئيسة الفريق بمجلس الجهة",
            "رئيسا الفريقين بمجلسي الجهتين",
            "رئيستا الفريقين بمجلسي الجهتين",
            "رؤساء الفرق بمجالس الجهات",
            "رئيسات الفرق بمجالس الجهات",
        ),
        (
            "président du groupe au conseil régional",
            "présidente du groupe au conseil régional",
            "présidents des groupes aux conseils régionaux",
            "présidentes des groupes aux conseils régionaux",
        ),
    ),
}


@pytest.mark.parametrize("key", list(MANDATES), ids=lambda key: "-".join(key))
def test_mandate_titles(key):
    institution, role = key
    arabic, french = MANDATES[key]
    ar = [
        mandate_title(institution, role, language="ar", gender=gender, count=count)
        for count in (1, 2, 3)
        for gender in ("M", "F")
    ]
    fr = [
        mandate_title(institution, role, language="fr", gender=gender, count=count, definite=False)
        for count in (1, 3)
        for gender in ("M", "F")
    ]
    assert ar == list(arabic)
    assert fr == list(french)


def test_every_mandate_has_a_title():
    from abwab.people.models import Institution, MandateRole

    for institution in Institution.values:
        for role in MandateRole.values:
            for language in ("ar", "fr"):
                assert mandate_title(institution, role, language=language, gender="F")


def test_mandate_genitive_and_article():
    assert (
        mandate_title("parliament", "member", language="ar", gender="M", count=2, case="genitive")
        == "النائبين البرلمانيين"
    )
    assert (
        mandate_title("communal_council", "president", language="fr", gender="F")
        == "la présidente du conseil communal"
    )
    assert mandate_title("parliament", "member", language="fr", gender="M", count=2) == (
        "les députés"
    )


def test_honorific():
    assert [honorific(g, "ar") for g in ("M", "F", None)] == ["السيد", "السيدة", "السيد"]
    assert [honorific(g, "fr") for g in ("M", "F", "")] == ["M.", "Mme", "M."]


def test_join_names():
    assert join_names([], "ar") == ""
    assert join_names(["أحمد"], "ar") == "أحمد"
    assert join_names(["أحمد", "سعاد"], "ar") == "أحمد وسعاد"
    assert join_names(["أحمد", "سعاد", "كريم"], "ar") == "أحمد، سعاد وكريم"
    assert join_names(["Ahmed", "Souad"], "fr") == "Ahmed et Souad"
    assert join_names(["Ahmed", "Souad", "Karim"], "fr") == "Ahmed, Souad et Karim"


def test_no_title_for_nobody_or_an_unknown_language():
    with pytest.raises(ValueError):
        function_title("member", language="ar", gender="M", count=0)
    with pytest.raises(ValueError):
        function_title("member", language="en", gender="M")
