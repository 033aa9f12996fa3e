"""The meeting our domain map starts from, built through the services: the regional secretariat of
Fès-Meknès preparing the open doors, with its chair, the regional council's president, two MPs,
the women's organisation's regional president, the party group's head at the regional council,
seven provincial secretaries (one for the party unit Fès North) and three groups invited whole."""

import datetime
from zoneinfo import ZoneInfo

from abwab.meetings.models import InviteeGroup, Presence
from abwab.meetings.services import (
    agenda_add,
    attendance_invite_mandate,
    attendance_invite_position,
    attendance_record,
    decision_add,
    group_invite,
    meeting_hold,
    meeting_plan,
)
from abwab.people.models import Function, Institution, Mandate, MandateRole
from abwab.people.services import position_assign
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import BodyKind, PartyUnit, Territory
from abwab.territory.services import body_create, party_unit_create

WHEN = datetime.datetime(2024, 11, 10, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))  # a Sunday
SINCE = datetime.date(2023, 1, 1)
FES_NORTH_ARRONDISSEMENTS = ["03.231.01.11", "03.231.01.09"]


def node(code: str) -> Territory:
    return Territory.objects.get(code=code)


def person(first_ar, last_ar, first_fr, last_fr, gender, commune="03.231.01.01"):
    return PersonFactory(
        first_name_ar=first_ar,
        last_name_ar=last_ar,
        first_name_latin=first_fr,
        last_name_latin=last_fr,
        gender=gender,
        territory=node(commune),
    )


def body(kind, code, name_ar, name_fr, unit=None):
    return body_create(
        kind=kind,
        territory=unit.anchor if unit else node(code),
        name_ar=name_ar,
        name_fr=name_fr,
        party_unit=unit,
    )


# Province (or party unit "fes-north"), secretary in Arabic and French, gender.
PROVINCIAL_SECRETARIES = [
    ("fes-north", "حسن", "التازي", "Hassan", "Tazi", "M"),
    ("03.531", "رشيد", "الكتاني", "Rachid", "Kettani", "M"),
    ("03.061", "يوسف", "المكناسي", "Youssef", "Meknassi", "M"),
    ("03.561", "عبد الله", "التازي", "Abdellah", "Tazi", "M"),
    ("03.451", "خديجة", "الشرايبي", "Khadija", "Chraibi", "F"),
    ("03.131", "محمد", "البولماني", "Mohamed", "Boulmani", "M"),
    ("03.171", "سعيد", "الحجباوي", "Said", "Hajbaoui", "M"),
]


def domain_meeting(actor):
    """The held meeting, with its record; returns (meeting, people by role)."""
    fes_north = PartyUnit.objects.filter(code="fes-north").first() or party_unit_create(
        code="fes-north",
        name_ar="فاس الشمالية",
        name_fr="Fès Nord",
        territory_codes=FES_NORTH_ARRONDISSEMENTS,
    )
    secretariat = body(
        BodyKind.REGIONAL_SECRETARIAT, "03", "الأمانة الجهوية لفاس مكناس", "SR Fès-Meknès"
    )
    women = body(BodyKind.WOMENS_ORGANISATION, "03", "منظمة النساء بالجهة", "Femmes Fès-Meknès")
    group = body(BodyKind.COUNCIL_GROUP, "03", "فريق الحزب بمجلس الجهة", "Groupe au conseil")
    people = {
        "chair": person("كريم", "بناني", "Karim", "Bennani", "M"),
        "deputy": person("نادية", "العلوي", "Nadia", "Alaoui", "F"),
        "treasurer": person("يوسف", "برادة", "Youssef", "Berrada", "M"),
        "council_president": person("أحمد", "الطاهري", "Ahmed", "Tahiri", "M"),
        "mp_fes": person("سميرة", "الفاسي", "Samira", "Fassi", "F"),
        "mp_taounate": person("عمر", "الإدريسي", "Omar", "Idrissi", "M", "03.531.01.05"),
        "women": person("لطيفة", "بنجلون", "Latifa", "Benjelloun", "F"),
        "group_head": person("مصطفى", "العمراني", "Mustapha", "Amrani", "M"),
        "excused": person("إدريس", "اليفراني", "Driss", "Ifrani", "M"),
    }
    position_assign(
        person=people["chair"],
        body=secretariat,
        function=Function.REGIONAL_SECRETARY,
        starts_on=SINCE,
    )
    position_assign(
        person=people["deputy"],
        body=secretariat,
        function=Function.DEPUTY_SECRETARY,
        starts_on=SINCE,
    )
    position_assign(
        person=people["treasurer"], body=secretariat, function=Function.TREASURER, starts_on=SINCE
    )
    women_president = position_assign(
        person=people["women"], body=women, function=Function.PRESIDENT, starts_on=SINCE
    )
    head = position_assign(
        person=people["group_head"], body=group, function=Function.GROUP_HEAD, starts_on=SINCE
    )
    secretaries = []
    for where, first_ar, last_ar, first_fr, last_fr, gender in PROVINCIAL_SECRETARIES:
        unit = fes_north if where == "fes-north" else None
        province = body(
            BodyKind.PROVINCIAL_SECRETARIAT,
            where if unit is None else None,
            f"الأمانة الإقليمية {where}",
            f"SP {where}",
            unit=unit,
        )
        holder = person(first_ar, last_ar, first_fr, last_fr, gender)
        secretaries.append(
            position_assign(
                person=holder,
                body=province,
                function=Function.PROVINCIAL_SECRETARY,
                starts_on=SINCE,
            )
        )
        people[f"secretary_{where}"] = holder
    ifrane = body(BodyKind.PROVINCIAL_SECRETARIAT, "03.271", "الأمانة الإقليمية إفران", "SP Ifrane")
    excused = position_assign(
        person=people["excused"],
        body=ifrane,
        function=Function.PROVINCIAL_SECRETARY,
        starts_on=SINCE,
    )
    mandates = [
        Mandate.objects.create(
            person=people["council_president"],
            institution=Institution.REGIONAL_COUNCIL,
            role=MandateRole.PRESIDENT,
            territory=node("03"),
            starts_on=SINCE,
        ),
        Mandate.objects.create(
            person=people["mp_fes"],
            institution=Institution.PARLIAMENT,
            role=MandateRole.MEMBER,
            territory=node("03.231"),
            starts_on=SINCE,
        ),
        Mandate.objects.create(
            person=people["mp_taounate"],
            institution=Institution.PARLIAMENT,
            role=MandateRole.MEMBER,
            territory=node("03.531"),
            starts_on=SINCE,
        ),
    ]
    meeting = meeting_plan(
        actor=actor,
        body=secretariat,
        starts_at=WHEN,
        place="المقر الجهوي للحزب بفاس",
        place_fr="le siège régional du parti à Fès",
        chair=people["chair"],
    )
    for position in [women_president, head, *secretaries, excused]:
        attendance_invite_position(actor=actor, meeting=meeting, position=position)
    for mandate in mandates:
        attendance_invite_mandate(actor=actor, meeting=meeting, mandate=mandate)
    for kind in (
        InviteeGroup.SECRETARIAT_MEMBERS,
        InviteeGroup.COUNCIL_PRESIDENTS,
        InviteeGroup.DIRECTORS,
    ):
        group_invite(actor=actor, meeting=meeting, group=kind)
    attendance_record(
        actor=actor,
        meeting=meeting,
        presences={
            a.person_id: Presence.EXCUSED if a.person == people["excused"] else Presence.PRESENT
            for a in meeting.attendances.all()
        },
    )
    agenda_add(
        actor=actor,
        meeting=meeting,
        title="التحضير لأيام الأبواب المفتوحة",
        title_fr="la préparation des journées portes ouvertes",
        summary="ناقش المجتمعون برنامج الأيام وتوزيع المتطوعين على المقرات",
        summary_fr="Les membres ont discuté du programme des journées et de la répartition des bénévoles entre les sièges",
    )
    agenda_add(
        actor=actor,
        meeting=meeting,
        title="تقييم أداء المنتخبين",
        title_fr="l'évaluation du travail des élus",
    )
    decision_add(
        actor=actor,
        meeting=meeting,
        text="تعميم الأبواب المفتوحة على جميع مقرات الحزب بالجهة",
        text_fr="généraliser les portes ouvertes à tous les sièges du parti dans la région",
        owner_person=people["deputy"],
        due_on=datetime.date(2024, 12, 1),
    )
    decision_add(
        actor=actor,
        meeting=meeting,
        text="عقد اجتماعات الأمانات الإقليمية قبل نهاية الشهر",
        text_fr="réunir les secrétariats provinciaux avant la fin du mois",
    )
    meeting_hold(actor=actor, meeting=meeting)
    return meeting, people
