"""The communiqué read as a reader would: whole texts compared with golden files (reviewed by eye),
and the structure checked: one paragraph per part, each attendee once, the chair not repeated, no
Latin in the Arabic text but names and numbers, no Arabic in the French one.

To rewrite the golden files after a deliberate change: ABWAB_GOLDEN_UPDATE=1 pytest this file, then
read the diff before committing it."""

import os
import re
from pathlib import Path

import pytest

from abwab.meetings.communique import compose_ar, compose_fr, missing_texts
from abwab.meetings.models import Presence
from abwab.meetings.services import decision_add, group_invite
from abwab.meetings.tests.domain import domain_meeting

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden"
ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


@pytest.fixture
def meeting(actors):
    return domain_meeting(actors.fes_meknes)


def _golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if os.environ.get("ABWAB_GOLDEN_UPDATE"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return path.read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize(("language", "compose"), [("ar", compose_ar), ("fr", compose_fr)])
def test_the_communique_reads_as_the_golden_file(meeting, language, compose):
    meeting, _people = meeting
    title, text = compose(meeting)
    assert f"{title}\n\n{text}" == _golden(
        f"regional_secretariat.{language}.txt", f"{title}\n\n{text}"
    )


def test_arabic_parts_date_place_chair_and_grouped_titles(meeting):
    meeting, people = meeting
    title, text = compose_ar(meeting)
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 5  # the meeting, who attended, the agenda, the decisions, signed
    opening, attended, agenda, decisions, signed = paragraphs
    assert title == "بلاغ الأمانة الجهوية للحزب بجهة فاس-مكناس"
    assert opening == (
        "عقدت الأمانة الجهوية للحزب بجهة فاس-مكناس اجتماعها العادي، يوم الأحد 10 نونبر 2024 "
        "بالمقر الجهوي للحزب بفاس، تحت إشراف الأمين الجهوي السيد كريم بناني."
    )
    assert "النائبان البرلمانيان السيدة سميرة الفاسي -فاس- والسيد عمر الإدريسي -تاونات-" in attended
    assert "نائبة الأمين السيدة نادية العلوي" in attended
    assert "رئيسة منظمة النساء بالجهة السيدة لطيفة بنجلون" in attended
    assert "رئيس الفريق بمجلس الجهة السيد مصطفى العمراني" in attended
    assert "رئيس مجلس الجهة السيد أحمد الطاهري" in attended
    assert attended.startswith("وحضرت الاجتماع نائبة الأمين السيدة نادية العلوي، وأمين المال")
    assert attended.count("الأمناء الإقليميون") == 1
    assert (
        "والأمناء الإقليميون: السيد يوسف المكناسي -مكناس-، السيد محمد البولماني -بولمان-، "
        "السيد سعيد الحجباوي -الحاجب-، السيد حسن التازي -فاس الشمالية-، "
        "السيدة خديجة الشرايبي -صفرو-، السيد رشيد الكتاني -تاونات- والسيد عبد الله التازي -تازة-."
    ) in attended
    assert "السيدة خديجة الشرايبي -صفرو-" in attended
    assert (
        "كما حضره أعضاء الأمانة الجهوية، ورؤساء المجالس الجماعية بالجهة، ومديرو الحزب بالجهة."
        in attended
    )
    assert "واعتذر عن الحضور السيد إدريس اليفراني -إفران-." in attended
    # each person once, the chair only in the opening
    for key, person in people.items():
        expected = 0 if key == "chair" else 1
        assert attended.count(person.name_ar) == expected, key
    assert text.count("كريم بناني") == 1
    assert agenda.startswith("وتدارس المجتمعون النقط المدرجة في جدول الأعمال، وهي: ")
    assert "التحضير لأيام الأبواب المفتوحة، وتقييم أداء المنتخبين." in agenda
    assert decisions == (
        "وفي ختام أشغالها، قررت الأمانة الجهوية تعميم الأبواب المفتوحة على جميع مقرات الحزب بالجهة، "
        "وعقد اجتماعات الأمانات الإقليمية قبل نهاية الشهر."
    )
    assert signed == "حرر في 10 نونبر 2024."
    assert "\n-" not in text and "—" not in text  # prose, not a bullet list
    assert LATIN_WORD.findall(text) == []  # every name here has its Arabic form


def test_french_parts_without_arabic(meeting):
    meeting, people = meeting
    title, text = compose_fr(meeting)
    assert not ARABIC.search(title + text)
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 5
    opening, attended, _agenda, decisions, _signed = paragraphs
    assert opening == (
        "Le secrétariat régional du parti dans la région de Fès-Meknès a tenu sa réunion ordinaire "
        "le dimanche 10 novembre 2024 au siège régional du parti à Fès, sous la supervision de "
        "M. Karim Bennani, secrétaire régional."
    )
    assert "les deux députés Mme Samira Fassi (Fès) et M. Omar Idrissi (Taounate)" in attended
    assert "la secrétaire adjointe Mme Nadia Alaoui" in attended
    assert (
        "la présidente de l'organisation des femmes de la région Mme Latifa Benjelloun" in attended
    )
    assert "les secrétaires provinciaux : M. Youssef Meknassi (Meknès), M. Mohamed" in attended
    assert "S'est excusé : M. Driss Ifrani (Ifrane)." in attended
    for key, person in people.items():
        assert attended.count(person.name_latin) == (0 if key == "chair" else 1), key
    assert decisions.startswith("À l'issue de ses travaux, le secrétariat régional a décidé : ")


def test_the_party_name_is_a_setting(meeting, settings):
    meeting, _people = meeting
    settings.PARTY_NAME_AR, settings.PARTY_NAME_FR = "المستقبل", "Parti de l'Avenir"
    assert compose_ar(meeting)[0] == "بلاغ الأمانة الجهوية لحزب المستقبل بجهة فاس-مكناس"
    assert compose_fr(meeting)[0] == (
        "Communiqué du secrétariat régional du Parti de l'Avenir dans la région de Fès-Meknès"
    )


def test_a_text_missing_in_french_is_said_missing_never_borrowed(actors, meeting):
    meeting, _people = meeting
    meeting.status = "draft"  # recorded after the fact, as a secretary completing the record
    decision = decision_add(actor=actors.fes_meknes, meeting=meeting, text="فتح المقر يوميا")
    _title, text = compose_fr(meeting)
    assert not ARABIC.search(text)
    assert f"[texte français manquant : décision {decision.reference}]" in text
    assert missing_texts(meeting, "fr") == [("decision", decision.reference)]
    assert missing_texts(meeting, "ar") == []
    group_invite(actor=actors.fes_meknes, meeting=meeting, group="other", name_ar="المتعاطفون")
    text = compose_fr(meeting)[1]
    assert "[texte français manquant : nom du groupe]" in text and not ARABIC.search(text)
    assert "المتعاطفون" in compose_ar(meeting)[1]
    assert missing_texts(meeting, "fr")[-1] == ("group", "")


def test_a_woman_chair_and_an_all_women_group_take_feminine_forms(actors, meeting):
    meeting, people = meeting
    meeting.chair = people["deputy"]
    meeting.save()
    for key in ("secretary_fes-north", "secretary_03.531"):
        people[key].gender = "F"
        people[key].save()
    _title, text = compose_ar(meeting)
    assert "تحت إشراف نائبة الأمين السيدة نادية العلوي" in text
    assert "الأمين الجهوي السيد كريم بناني" in text  # now among those who attended
    fr = compose_fr(meeting)[1]
    assert "sous la supervision de Mme Nadia Alaoui, secrétaire adjointe" in fr
    assert meeting.attendances.filter(presence=Presence.PRESENT).count() == 15
