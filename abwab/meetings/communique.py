"""Writing a meeting's communiqué from its record, as a party's press office writes it.

One paragraph per part: the meeting (the body named in full with the party, its kind, the day in
the Moroccan style, the place, "under the supervision of" the chair); who attended, grouped by
function with the titles agreeing in gender and number (abwab.people.titles), each with the place
they represent when it is not the body's own, then the groups invited as a whole; the agenda; the
decisions; the place and date of writing. The chair is named once. French follows the same plan,
and never borrows Arabic: a text missing in French is marked as missing (and listed by
`missing_texts`), as is an Arabic one. The text is a draft: the media office edits it.
"""

import datetime
import re
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from abwab.core.dates import AR_MONTHS, AR_WEEKDAYS, FR_MONTHS, FR_WEEKDAYS
from abwab.meetings.models import InviteeGroup, MeetingKind, Presence
from abwab.names import transliterate_arabic
from abwab.people.titles import (
    GENITIVE,
    function_title,
    honorific,
    join_names,
    mandate_title,
)
from abwab.territory.models import BodyKind, Kind, Level

AR_ORDINALS = [
    "الأولى",
    "الثانية",
    "الثالثة",
    "الرابعة",
    "الخامسة",
    "السادسة",
    "السابعة",
    "الثامنة",
    "التاسعة",
    "العاشرة",
]
FR_ORDINALS = [
    "première",
    "deuxième",
    "troisième",
    "quatrième",
    "cinquième",
    "sixième",
    "septième",
    "huitième",
    "neuvième",
    "dixième",
]


def date_ar(day: datetime.date) -> str:
    """e.g. "يوم الأحد 10 نونبر 2024"."""
    return f"يوم {AR_WEEKDAYS[day.weekday()]} {day.day} {AR_MONTHS[day.month - 1]} {day.year}"


def date_fr(day: datetime.date) -> str:
    """e.g. "le dimanche 10 novembre 2024"."""
    number = "1er" if day.day == 1 else day.day
    return f"le {FR_WEEKDAYS[day.weekday()]} {number} {FR_MONTHS[day.month - 1]} {day.year}"


def join_ar(items: list[str]) -> str:
    """أ، ب وج"""
    return join_names(items, "ar")


def join_fr(items: list[str]) -> str:
    """a, b et c"""
    return join_names(items, "fr")


def party_ar() -> str:
    """ "لحزب X" when the party's name is set (PARTY_NAME_AR), else "للحزب"."""
    name = settings.PARTY_NAME_AR
    return f"لحزب {name}" if name else "للحزب"


def party_fr() -> str:
    """ "du Parti X" when the party's name is set (PARTY_NAME_FR), else "du parti"."""
    name = settings.PARTY_NAME_FR
    return f"du {name}" if name else "du parti"


# --- The body and where it sits ------------------------------------------------------------------

# Short name (the secretariat), whether the Arabic noun is masculine, and the French article.
_BODIES = {
    BodyKind.NATIONAL_SECRETARIAT: ("الأمانة الوطنية", False, "le secrétariat national"),
    BodyKind.REGIONAL_SECRETARIAT: ("الأمانة الجهوية", False, "le secrétariat régional"),
    BodyKind.PROVINCIAL_SECRETARIAT: ("الأمانة الإقليمية", False, "le secrétariat provincial"),
    BodyKind.LOCAL_SECRETARIAT: ("الأمانة المحلية", False, "le secrétariat local"),
    BodyKind.NATIONAL_COUNCIL: ("المجلس الوطني", True, "le conseil national"),
    BodyKind.REGIONAL_COUNCIL: ("المجلس الجهوي", True, "le conseil régional"),
    BodyKind.WOMENS_ORGANISATION: ("منظمة النساء", False, "l'organisation des femmes"),
    BodyKind.YOUTH_ORGANISATION: ("منظمة الشباب", False, "l'organisation des jeunes"),
    BodyKind.COUNCIL_GROUP: ("الفريق", True, "le groupe"),
}


def _where_ar(territory, unit=None) -> str:
    """ "بجهة فاس-مكناس", "بإقليم تاونات", "بعمالة فاس", "بفاس الشمالية"."""
    if unit is not None:
        return f"ب{unit.name_ar}"
    prefix = {
        Kind.REGION: "جهة ",
        Kind.PROVINCE: "إقليم ",
        Kind.PREFECTURE: "عمالة ",
        Kind.PREFECTURE_OF_ARRONDISSEMENTS: "عمالة ",
        Kind.URBAN_COMMUNE: "جماعة ",
        Kind.RURAL_COMMUNE: "جماعة ",
        Kind.ARRONDISSEMENT: "مقاطعة ",
    }.get(territory.kind, "")
    return f"ب{prefix}{territory.name_ar}" if territory.level > Level.NATION else ""


def _where_fr(territory, unit=None) -> str:
    """ "dans la région de Fès-Meknès", "dans la province de Taounate", "à Fès Nord"."""
    if unit is not None:
        return f"à {unit.name_fr}"
    prefix = {
        Kind.REGION: "dans la région de ",
        Kind.PROVINCE: "dans la province de ",
        Kind.PREFECTURE: "dans la préfecture de ",
        Kind.PREFECTURE_OF_ARRONDISSEMENTS: "dans la préfecture de ",
        Kind.URBAN_COMMUNE: "dans la commune de ",
        Kind.RURAL_COMMUNE: "dans la commune de ",
        Kind.ARRONDISSEMENT: "dans l'arrondissement de ",
    }.get(territory.kind, "à ")
    return f"{prefix}{territory.name_fr}" if territory.level > Level.NATION else ""


def _in_ar(territory) -> str:
    """ "بالجهة", "بالإقليم": the body's own territory, named again without its name."""
    return {
        Level.NATION: "",
        Level.REGION: "بالجهة",
        Level.PROVINCE: "بالإقليم" if territory.kind == Kind.PROVINCE else "بالعمالة",
    }.get(territory.level, "بالجماعة")


def _in_fr(territory) -> str:
    return {
        Level.NATION: "",
        Level.REGION: "de la région",
        Level.PROVINCE: "de la province" if territory.kind == Kind.PROVINCE else "de la préfecture",
    }.get(territory.level, "de la commune")


@dataclass(frozen=True)
class BodyName:
    short: str  # الأمانة الجهوية / le secrétariat régional
    full: str  # الأمانة الجهوية للحزب بجهة فاس-مكناس
    masculine: bool


def body_name(body, language: str) -> BodyName:
    """The body named in full, as a communiqué names it, with the party."""
    known = _BODIES.get(body.kind)
    if known is None:  # a kind without a phrase of its own: its recorded name
        name = body.name_ar if language == "ar" else body.name_fr
        return BodyName(name, name, body.name_ar.startswith(("المجلس", "الفريق")))
    short_ar, masculine, short_fr = known
    unit = body.party_unit if body.party_unit_id else None
    if language == "ar":
        full = f"{short_ar} {party_ar()} {_where_ar(body.territory, unit)}".strip()
        if body.kind == BodyKind.COUNCIL_GROUP:
            full = f"فريق {party_ar().removeprefix('ل')} {_where_ar(body.territory, unit)}".strip()
        return BodyName(short_ar, full, masculine)
    full = f"{short_fr} {party_fr()} {_where_fr(body.territory, unit)}".strip()
    return BodyName(short_fr, full, masculine)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _de(phrase: str) -> str:
    """ "de" before a French noun phrase: du, de la, de l', des."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if phrase.startswith(article):
            return contracted + phrase.removeprefix(article)
    return "de " + phrase


def _a(phrase: str) -> str:
    """ "à" before a French noun phrase: au, à la, à l', aux."""
    lower = phrase[:1].lower() + phrase[1:]
    for article, contracted in (("le ", "au "), ("les ", "aux ")):
        if lower.startswith(article):
            return contracted + phrase[len(article) :]
    if lower.startswith(("la ", "l'")):
        return "à " + lower
    return "à " + phrase


# --- Names and titles -----------------------------------------------------------------------------


def _name_ar(person) -> str:
    return person.name_ar or person.name_latin


def _name_fr(person) -> str:
    return person.name_latin or transliterate_arabic(person.name_ar)


# Functions that say nothing of their body ("the president"): held in another body than the
# meeting's, the title names that body ("the president of the women's organisation").
GENERIC_FUNCTIONS = {
    "president",
    "vice_president",
    "member",
    "treasurer",
    "director",
    "spokesperson",
}
# A council group's head is titled by the council it sits in.
COUNCIL_OF_LEVEL = {
    Level.REGION: "regional_council",
    Level.PROVINCE: "provincial_council",
    Level.COMMUNE: "communal_council",
    Level.ARRONDISSEMENT: "communal_council",
}


def _other_body(attendance, meeting):
    """The body the function is held in, when the title must name it (None otherwise)."""
    if meeting is None or not attendance.body_id or attendance.body_id == meeting.body_id:
        return None
    if attendance.function in GENERIC_FUNCTIONS or (
        attendance.function == "group_head" and attendance.body.kind == BodyKind.COUNCIL_GROUP
    ):
        return attendance.body
    return None


def _title(
    attendance,
    language: str,
    *,
    gender,
    count: int = 1,
    case: str = "nominative",
    definite: bool = True,
    meeting=None,
) -> str:
    """The title of what the attendance was recorded as (a function or a mandate), or ""."""
    if not attendance.function:
        return ""
    options = {"language": language, "gender": gender, "count": count, "case": case}
    body = _other_body(attendance, meeting)
    try:
        if attendance.institution:
            return mandate_title(
                attendance.institution, attendance.function, definite=definite, **options
            )
        if body is not None and body.kind == BodyKind.COUNCIL_GROUP:
            council = COUNCIL_OF_LEVEL.get(body.territory.level, "communal_council")
            return mandate_title(council, "group_head", definite=definite, **options)
        if body is not None:
            return _title_in_body(attendance.function, body, meeting, definite, options)
        return function_title(attendance.function, definite=definite, **options)
    except KeyError:
        return ""


def _title_in_body(function: str, body, meeting, definite: bool, options: dict) -> str:
    """ "رئيسة منظمة النساء بالجهة", "la présidente de l'organisation des femmes de la région"."""
    language = options["language"]
    short = body_name(body, language).short
    same_place = body.territory_id == meeting.body.territory_id and not body.party_unit_id
    if language == "ar":
        head = function_title(function, definite=False, **options)
        where = _in_ar(body.territory) if same_place else ""
        return f"{head} {short} {where}".strip()
    head = function_title(function, definite=definite, **options)
    where = _in_fr(body.territory) if same_place else ""
    return f"{head} {_de(short)} {where}".strip()


def _represents(attendance, meeting, language: str) -> str:
    """Where the attendee comes from, when it is not the body's own territory."""
    if attendance.represents_unit_id:
        unit = attendance.represents_unit
        return unit.name_ar if language == "ar" else unit.name_fr
    place = attendance.represents
    if place is None or place.pk == meeting.body.territory_id:
        return ""
    return place.name_ar if language == "ar" else place.name_fr


def _person_ar(attendance, meeting) -> str:
    where = _represents(attendance, meeting, "ar")
    name = f"{honorific(attendance.person.gender, 'ar')} {_name_ar(attendance.person)}"
    return f"{name} -{where}-" if where else name


def _person_fr(attendance, meeting) -> str:
    where = _represents(attendance, meeting, "fr")
    name = f"{honorific(attendance.person.gender, 'fr')} {_name_fr(attendance.person)}"
    return f"{name} ({where})" if where else name


def _group_gender(attendances) -> str:
    """Feminine only when every one of them is a woman (Arabic and French both say so)."""
    return "F" if all(a.person.gender == "F" for a in attendances) else "M"


# The order a communiqué names people in: the body's own office holders, then the elected (the
# presidents of councils first, then members of parliament), then the heads of other bodies, then
# the secretaries of the levels below, by place.
SECRETARIES_BELOW = {"provincial_secretary", "local_secretary"}
INSTITUTION_ORDER = ["government", "regional_council", "parliament", "councillors"]


def _order(attendance, meeting) -> tuple:
    if attendance.institution:
        institution = attendance.institution
        place = INSTITUTION_ORDER.index(institution) if institution in INSTITUTION_ORDER else 9
        return (1, attendance.function != "president", place, attendance.pk)
    if attendance.body_id == meeting.body_id:
        return (0, attendance.rank, 0, attendance.pk)
    if attendance.function in SECRETARIES_BELOW:
        where = attendance.represents_unit or attendance.represents
        path = (where.anchor.path if hasattr(where, "anchor") else where.path) if where else ""
        return (3, attendance.rank, path, attendance.pk)
    if not attendance.function:
        return (4, 0, 0, attendance.pk)
    return (2, attendance.rank, attendance.body_id or 0, attendance.pk)


def _attendees(meeting, presence: str) -> list[list]:
    """Attendances of one presence, without the chair, grouped by what they attended as."""
    rows = (
        meeting.attendances.filter(presence=presence)
        .exclude(person_id=meeting.chair_id)
        .select_related("person", "represents", "represents_unit__anchor", "body__territory")
    )
    rows = sorted(rows, key=lambda a: _order(a, meeting))

    def key(attendance):
        body = _other_body(attendance, meeting)
        return (attendance.institution, attendance.function, body.pk if body else None)

    return [list(group) for _key, group in groupby(rows, key=key)]


def _chair_attendance(meeting):
    return (
        meeting.attendances.filter(person_id=meeting.chair_id)
        .select_related("person", "represents", "represents_unit", "body__territory")
        .first()
    )


# --- The groups invited as a whole -----------------------------------------------------------------


def group_name(invitation, meeting, language: str) -> str:
    """ "رؤساء المجالس الجماعية بالجهة", "les présidents des conseils communaux de la région"."""
    territory = meeting.body.territory
    short = body_name(meeting.body, language).short
    if invitation.group == InviteeGroup.OTHER:
        if language == "ar":
            return invitation.name_ar or _missing_ar("اسم الفئة")
        return invitation.name_fr or _missing_fr("nom du groupe")
    if language == "ar":
        return {
            InviteeGroup.SECRETARIAT_MEMBERS: f"أعضاء {short}",
            InviteeGroup.COUNCIL_PRESIDENTS: f"{mandate_title('communal_council', 'president', language='ar', gender='M', count=3)} {_in_ar(territory)}",
            InviteeGroup.DIRECTORS: f"مديرو الحزب {_in_ar(territory)}",
            InviteeGroup.ELECTED_MEMBERS: f"منتخبو الحزب {_in_ar(territory)}",
        }[invitation.group].strip()
    return {
        InviteeGroup.SECRETARIAT_MEMBERS: f"les membres {_de(short)}",
        InviteeGroup.COUNCIL_PRESIDENTS: f"{mandate_title('communal_council', 'president', language='fr', gender='M', count=3)} {_in_fr(territory)}",
        InviteeGroup.DIRECTORS: f"les directeurs du parti {_in_fr(territory)}",
        InviteeGroup.ELECTED_MEMBERS: f"les élus du parti {_in_fr(territory)}",
    }[invitation.group].strip()


# --- Texts missing in one language -------------------------------------------------------------------


def _missing_ar(what: str) -> str:
    return f"[النص العربي غير متوفر: {what}]"


def _missing_fr(what: str) -> str:
    return f"[texte français manquant : {what}]"


def missing_texts(meeting, language: str) -> list[str]:
    """What the record lacks in this language (agenda items, decisions, place), said in English
    codes for the page to translate: ("agenda", 2), ("decision", "3/2026"), ("place", "")."""
    found = []
    for item in meeting.agenda.all():
        if not (item.title if language == "ar" else item.title_fr):
            found.append(("agenda", item.order))
    for decision in meeting.decisions.order_by("number", "pk"):
        if not (decision.text if language == "ar" else decision.text_fr):
            found.append(("decision", decision.reference or decision.pk))
    for invitation in meeting.groups.filter(group=InviteeGroup.OTHER):
        if not (invitation.name_ar if language == "ar" else invitation.name_fr):
            found.append(("group", ""))
    if not meeting.office_id and (meeting.place or meeting.place_fr):
        if not (meeting.place if language == "ar" else meeting.place_fr):
            found.append(("place", ""))
    return found


# --- Arabic --------------------------------------------------------------------------------------------


def _kind_ar(meeting, masculine: bool) -> str:
    own = "ه" if masculine else "ها"
    if meeting.kind == MeetingKind.COUNCIL_SESSION:
        number = meeting.session_number
        ordinal = AR_ORDINALS[number - 1] if number and number <= len(AR_ORDINALS) else ""
        if ordinal:
            return f"دورت{own} العادية {ordinal}"
        return meeting.session or f"دورت{own} العادية"
    return {
        MeetingKind.ORDINARY: f"اجتماع{own} العادي",
        MeetingKind.EXTRAORDINARY: "اجتماعا استثنائيا",
        MeetingKind.PREPARATORY: "اجتماعا تحضيريا",
        MeetingKind.FOUNDING: f"جمع{own} التأسيسي",
    }[meeting.kind]


def _place_ar(meeting) -> str:
    if meeting.office_id:
        office = meeting.office
        city = office.territory.name_ar
        return f"ب{office.name_ar}" + ("" if city in office.name_ar else f" ب{city}")
    if meeting.place:
        return f"ب{meeting.place}"
    return _missing_ar("المكان") if meeting.place_fr else ""


def _opening_ar(meeting) -> str:
    name = body_name(meeting.body, "ar")
    verb = "عقد" if name.masculine else "عقدت"
    day = timezone.localtime(meeting.starts_at).date()
    text = f"{verb} {name.full} {_kind_ar(meeting, name.masculine)}، {date_ar(day)}"
    place = _place_ar(meeting)
    if place:
        text += f" {place}"
    if meeting.chair_id:
        chair = _chair_attendance(meeting)
        gender = meeting.chair.gender
        title = _title(chair, "ar", gender=gender, case=GENITIVE, meeting=meeting) if chair else ""
        where = _represents(chair, meeting, "ar") if chair else ""
        person = f"{honorific(gender, 'ar')} {_name_ar(meeting.chair)}"
        text += f"، تحت إشراف {title + ' ' if title else ''}{person}"
        if where:
            text += f" -{where}-"
    return text + "."


def _group_ar(attendances, meeting) -> str:
    gender = _group_gender(attendances)
    title = _title(attendances[0], "ar", gender=gender, count=len(attendances), meeting=meeting)
    people = [_person_ar(a, meeting) for a in attendances]
    if not title:
        return join_ar(people)
    if len(attendances) > 2:
        return f"{title}: {join_ar(people)}"
    return f"{title} {join_ar(people)}"


def _attendance_ar(meeting) -> str:
    groups = _attendees(meeting, Presence.PRESENT)
    titled = [g for g in groups if g[0].function]
    guests = [a for g in groups if not g[0].function for a in g]
    parts = [_group_ar(g, meeting) for g in titled]
    sentences = []
    if parts:
        verb = "وحضرت" if _group_gender(titled[0]) == "F" else "وحضر"
        sentences.append(f"{verb} الاجتماع " + "، و".join(parts) + ".")
    invited = [group_name(i, meeting, "ar") for i in meeting.groups.all()]
    if invited:
        verb = "كما حضره" if parts else "وحضر الاجتماع"
        sentences.append(f"{verb} {'، و'.join(invited)}.")
    if guests:
        people = join_ar([_person_ar(a, meeting) for a in guests])
        sentences.append(
            f"وحضره بصفة ضيف {people}." if len(guests) == 1 else f"وحضره بصفة ضيوف {people}."
        )
    excused = [a for g in _attendees(meeting, Presence.EXCUSED) for a in g]
    if excused:
        sentences.append(f"واعتذر عن الحضور {join_ar([_person_ar(a, meeting) for a in excused])}.")
    return " ".join(sentences)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "؟", "?", "…")) else text + "."


def _agenda_ar(meeting) -> str:
    items = list(meeting.agenda.all())
    if not items:
        return ""
    titles = [item.title or _missing_ar(f"النقطة {item.order}") for item in items]
    text = (
        f"وتدارس المجتمعون النقطة المدرجة في جدول الأعمال: {titles[0]}."
        if len(titles) == 1
        else f"وتدارس المجتمعون النقط المدرجة في جدول الأعمال، وهي: {'، و'.join(titles)}."
    )
    summaries = [_sentence(item.summary) for item in items if item.summary]
    return " ".join([text, *summaries])


def _decisions_ar(meeting, name: BodyName) -> str:
    decisions = list(meeting.decisions.order_by("number", "pk"))
    if not decisions:
        return ""
    own, verb = ("ه", "قرر") if name.masculine else ("ها", "قررت")
    texts = [d.text.strip().rstrip(".") or _missing_ar(f"القرار {d.reference}") for d in decisions]
    return f"وفي ختام أشغال{own}، {verb} {name.short} {'، و'.join(texts)}."


def compose_ar(meeting) -> tuple[str, str]:
    """(title, text) of the Arabic communiqué: one paragraph per part."""
    name = body_name(meeting.body, "ar")
    day = timezone.localtime(meeting.starts_at).date()
    written = f"ب{meeting.office.territory.name_ar} " if meeting.office_id else ""
    paragraphs = [
        _opening_ar(meeting),
        _attendance_ar(meeting),
        _agenda_ar(meeting),
        _decisions_ar(meeting, name),
        f"حرر {written}في {day.day} {AR_MONTHS[day.month - 1]} {day.year}.",
    ]
    return f"بلاغ {name.full}", "\n\n".join(p for p in paragraphs if p)


# --- French --------------------------------------------------------------------------------------------


def _kind_fr(meeting) -> str:
    if meeting.kind == MeetingKind.COUNCIL_SESSION:
        number = meeting.session_number
        if number and number <= len(FR_ORDINALS):
            return f"sa {FR_ORDINALS[number - 1]} session ordinaire"
        return "sa session ordinaire"
    return {
        MeetingKind.ORDINARY: "sa réunion ordinaire",
        MeetingKind.EXTRAORDINARY: "une réunion extraordinaire",
        MeetingKind.PREPARATORY: "une réunion préparatoire",
        MeetingKind.FOUNDING: "son assemblée constitutive",
    }[meeting.kind]


def _place_fr(meeting) -> str:
    if meeting.office_id:
        office = meeting.office
        city = office.territory.name_fr
        text = _a(office.name_fr)
        return text if city in office.name_fr else f"{text} à {city}"
    if meeting.place_fr:
        return _a(meeting.place_fr)
    return _missing_fr("le lieu") if meeting.place else ""


def _opening_fr(meeting) -> str:
    name = body_name(meeting.body, "fr")
    day = timezone.localtime(meeting.starts_at).date()
    text = f"{_cap(name.full)} a tenu {_kind_fr(meeting)} {date_fr(day)}"
    place = _place_fr(meeting)
    if place:
        text += f" {place}"
    if meeting.chair_id:
        chair = _chair_attendance(meeting)
        gender = meeting.chair.gender
        title = _title(chair, "fr", gender=gender, definite=False, meeting=meeting) if chair else ""
        where = _represents(chair, meeting, "fr") if chair else ""
        text += f", sous la supervision de {honorific(gender, 'fr')} {_name_fr(meeting.chair)}"
        if title:
            text += f", {title}"
        if where:
            text += f" ({where})"
    return text + "."


def _group_fr(attendances, meeting) -> str:
    gender = _group_gender(attendances)
    title = _title(attendances[0], "fr", gender=gender, count=len(attendances), meeting=meeting)
    if len(attendances) == 2 and title.startswith("les "):
        title = "les deux " + title.removeprefix("les ")
    people = join_fr([_person_fr(a, meeting) for a in attendances])
    if not title:
        return people
    return f"{title} : {people}" if len(attendances) > 2 else f"{title} {people}"


def _attendance_fr(meeting) -> str:
    groups = _attendees(meeting, Presence.PRESENT)
    titled = [g for g in groups if g[0].function]
    guests = [a for g in groups if not g[0].function for a in g]
    parts = [_group_fr(g, meeting) for g in titled]
    sentences = []
    if parts:
        sentences.append("Ont pris part à la réunion " + " ; ".join(parts) + ".")
    invited = [group_name(i, meeting, "fr") for i in meeting.groups.all()]
    if invited:
        lead = "Y ont également pris part" if parts else "Ont pris part à la réunion"
        sentences.append(f"{lead} {join_fr(invited)}.")
    if guests:
        people = join_fr([_person_fr(a, meeting) for a in guests])
        sentences.append(
            f"Y {'a' if len(guests) == 1 else 'ont'} été invité{'' if len(guests) == 1 else 's'} {people}."
        )
    excused = [a for g in _attendees(meeting, Presence.EXCUSED) for a in g]
    if excused:
        ending = "e" if _group_gender(excused) == "F" else ""
        lead = f"S'est excusé{ending}" if len(excused) == 1 else f"Se sont excusé{ending}s"
        sentences.append(f"{lead} : {join_fr([_person_fr(a, meeting) for a in excused])}.")
    return " ".join(sentences)


def _agenda_fr(meeting) -> str:
    items = list(meeting.agenda.all())
    if not items:
        return ""
    titles = [item.title_fr or _missing_fr(f"point {item.order}") for item in items]
    text = (
        f"Les membres ont examiné le point inscrit à l'ordre du jour : {titles[0]}."
        if len(titles) == 1
        else f"Les membres ont examiné les points inscrits à l'ordre du jour : {' ; '.join(titles)}."
    )
    summaries = []
    for item in items:
        if item.summary_fr:
            summaries.append(_sentence(item.summary_fr))
        elif item.summary:
            summaries.append(_missing_fr(f"résumé du point {item.order}"))
    return " ".join([text, *summaries])


def _decisions_fr(meeting, name: BodyName) -> str:
    decisions = list(meeting.decisions.order_by("number", "pk"))
    if not decisions:
        return ""
    texts = [
        d.text_fr.strip().rstrip(".") or _missing_fr(f"décision {d.reference}") for d in decisions
    ]
    return f"À l'issue de ses travaux, {name.short} a décidé : {' ; '.join(texts)}."


def compose_fr(meeting) -> tuple[str, str]:
    """(title, text) of the French communiqué: the same parts, in French only."""
    name = body_name(meeting.body, "fr")
    day = timezone.localtime(meeting.starts_at).date()
    written = f"à {meeting.office.territory.name_fr}, " if meeting.office_id else ""
    paragraphs = [
        _opening_fr(meeting),
        _attendance_fr(meeting),
        _agenda_fr(meeting),
        _decisions_fr(meeting, name),
        f"Fait {written}le {'1er' if day.day == 1 else day.day} {FR_MONTHS[day.month - 1]} {day.year}.",
    ]
    return f"Communiqué {_de(name.full)}", "\n\n".join(p for p in paragraphs if p)


ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


def new_slug(meeting, language: str) -> str:
    """A readable address, unique even when a second communiqué of the meeting is written."""
    from abwab.meetings.models import Communique

    day = timezone.localtime(meeting.starts_at).date()
    base = slugify(
        f"{meeting.body.territory.code}-{meeting.body.kind}-{day}-{language}-{meeting.pk}"
    )[:74]
    slug, counter = base, 1
    while Communique.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug
