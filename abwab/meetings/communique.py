"""Writing a meeting's communiqué from its record, in the register of a party's press release.

Arabic uses Moroccan month names (يناير … دجنبر), the weekday, lists joined with "، " and a final
"و", and the customary "name — province —" for who attended; French follows the same plan. The
text is a draft: the media office edits it before publishing.
"""

import datetime
from collections import defaultdict

from django.utils import timezone, translation
from django.utils.text import slugify

from abwab.meetings.models import MeetingKind, Presence
from abwab.names import transliterate_arabic

AR_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
]
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
FR_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def date_ar(day: datetime.date) -> str:
    """e.g. "يوم الأحد 10 نونبر 2024"."""
    return f"يوم {AR_WEEKDAYS[day.weekday()]} {day.day} {AR_MONTHS[day.month - 1]} {day.year}"


def date_fr(day: datetime.date) -> str:
    """e.g. "le dimanche 10 novembre 2024"."""
    return f"le {FR_WEEKDAYS[day.weekday()]} {'1er' if day.day == 1 else day.day} {FR_MONTHS[day.month - 1]} {day.year}"


def join_ar(items: list[str]) -> str:
    """أ، ب وج"""
    return (
        items[0] if len(items) == 1 else "، ".join(items[:-1]) + " و" + items[-1] if items else ""
    )


def join_fr(items: list[str]) -> str:
    """a, b et c"""
    return (
        items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1] if items else ""
    )


def _name_ar(person) -> str:
    return person.name_ar or person.name_latin


def _name_fr(person) -> str:
    return person.name_latin or transliterate_arabic(person.name_ar)


def _grouped(meeting, presence: str):
    """Attendances of one presence, grouped by function in rank order."""
    groups: dict[str, list] = defaultdict(list)
    for attendance in (
        meeting.attendances.filter(presence=presence)
        .select_related("person", "represents")
        .order_by("rank", "pk")
    ):
        groups[attendance.function].append(attendance)
    return list(groups.items())


def _function_label(function: str, language: str) -> str:
    from abwab.people.models import Function

    with translation.override(language):
        return str(Function(function).label) if function in Function.values else ""


def compose_ar(meeting) -> tuple[str, str]:
    """(title, text) of the Arabic communiqué."""
    body = meeting.body
    masculine = body.name_ar.startswith("المجلس")
    verb, own = ("عقد", "ه") if masculine else ("عقدت", "ها")
    kind = {
        MeetingKind.ORDINARY: f"اجتماع{own} العادي",
        MeetingKind.EXTRAORDINARY: "اجتماعا استثنائيا",
        MeetingKind.PREPARATORY: "اجتماعا تحضيريا لأيام الأبواب المفتوحة",
        MeetingKind.COUNCIL_SESSION: f"{meeting.session or 'دورة عادية'}",
        MeetingKind.FOUNDING: f"جمع{own} التأسيسي",
    }[meeting.kind]
    day = timezone.localtime(meeting.starts_at).date()
    place = (
        f" بمقر الحزب ب{meeting.office.territory.name_ar}"
        if meeting.office
        else (f" ب{meeting.place}" if meeting.place else "")
    )
    lines = [f"{verb} {body.name_ar} {kind} {date_ar(day)}{place}"]
    if meeting.chair:
        chair_function = next(
            (a.function for a in meeting.attendances.all() if a.person_id == meeting.chair_id), ""
        )
        label = _function_label(chair_function, "ar")
        honorific = "السيدة" if meeting.chair.gender == "F" else "السيد"
        lines[0] += f"، برئاسة {label + ' ' if label else ''}{honorific} {_name_ar(meeting.chair)}"
    lines[0] += "."
    present = _grouped(meeting, Presence.PRESENT)
    if present:
        lines.append("وقد حضر الاجتماع كل من:")
        for function, attendances in present:
            people = [
                f"{'السيدة' if a.person.gender == 'F' else 'السيد'} {_name_ar(a.person)}{f' — {a.represents.name_ar} —' if a.represents else ''}"
                for a in attendances
            ]
            label = _function_label(function, "ar") or "الضيوف"
            lines.append(f"- {label}: {join_ar(people)}.")
    excused = [a for _f, group in _grouped(meeting, Presence.EXCUSED) for a in group]
    if excused:
        lines.append(f"واعتذر عن الحضور: {join_ar([_name_ar(a.person) for a in excused])}.")
    agenda = list(meeting.agenda.all())
    if agenda:
        lines.append("وتدارس المجتمعون النقط المدرجة في جدول الأعمال، وهي:")
        lines += [
            f"{i}. {item.title}{'؛ ' + item.summary if item.summary else ''}"
            for i, item in enumerate(agenda, 1)
        ]
    decisions = list(meeting.decisions.order_by("pk"))
    if decisions:
        lines.append(f"وفي ختام أشغال{own}، قرر{'' if masculine else 'ت'} {body.name_ar} ما يلي:")
        lines += [f"{i}. {decision.text}" for i, decision in enumerate(decisions, 1)]
    city = meeting.office.territory.name_ar if meeting.office else body.territory.name_ar
    lines.append(f"حرر ب{city}، {date_ar(day).removeprefix('يوم ')}.")
    return f"بلاغ {body.name_ar}", "\n\n".join(lines)


def compose_fr(meeting) -> tuple[str, str]:
    """(title, text) of the French communiqué."""
    body = meeting.body
    kind = {
        MeetingKind.ORDINARY: "sa réunion ordinaire",
        MeetingKind.EXTRAORDINARY: "une réunion extraordinaire",
        MeetingKind.PREPARATORY: "une réunion préparatoire des journées portes ouvertes",
        MeetingKind.COUNCIL_SESSION: meeting.session or "une session ordinaire",
        MeetingKind.FOUNDING: "son assemblée constitutive",
    }[meeting.kind]
    day = timezone.localtime(meeting.starts_at).date()
    place = (
        f" au siège du parti à {meeting.office.territory.name_fr}"
        if meeting.office
        else (f" à {meeting.place}" if meeting.place else "")
    )
    first = f"Le {body.name_fr} a tenu {kind} {date_fr(day)}{place}"
    if meeting.chair:
        chair_function = next(
            (a.function for a in meeting.attendances.all() if a.person_id == meeting.chair_id), ""
        )
        label = _function_label(chair_function, "fr")
        first += f", sous la présidence de {'Mme' if meeting.chair.gender == 'F' else 'M.'} {_name_fr(meeting.chair)}{', ' + label.lower() if label else ''}"
    lines = [first + "."]
    present = _grouped(meeting, Presence.PRESENT)
    if present:
        lines.append("Étaient présents :")
        for function, attendances in present:
            people = [
                f"{'Mme' if a.person.gender == 'F' else 'M.'} {_name_fr(a.person)}{f' ({a.represents.name_fr})' if a.represents else ''}"
                for a in attendances
            ]
            lines.append(f"- {_function_label(function, 'fr') or 'Invités'} : {join_fr(people)}.")
    excused = [a for _f, group in _grouped(meeting, Presence.EXCUSED) for a in group]
    if excused:
        lines.append(f"Excusés : {join_fr([_name_fr(a.person) for a in excused])}.")
    agenda = list(meeting.agenda.all())
    if agenda:
        lines.append("Les membres ont examiné les points inscrits à l'ordre du jour :")
        lines += [
            f"{i}. {item.title}{' ; ' + item.summary if item.summary else ''}"
            for i, item in enumerate(agenda, 1)
        ]
    decisions = list(meeting.decisions.order_by("pk"))
    if decisions:
        lines.append(f"À l'issue de ses travaux, le {body.name_fr} a décidé :")
        lines += [f"{i}. {decision.text}" for i, decision in enumerate(decisions, 1)]
    city = meeting.office.territory.name_fr if meeting.office else body.territory.name_fr
    lines.append(f"Fait à {city}, {date_fr(day).removeprefix('le ')}.")
    return f"Communiqué du {body.name_fr}", "\n\n".join(lines)


def new_slug(meeting, language: str) -> str:
    day = timezone.localtime(meeting.starts_at).date()
    return slugify(
        f"{meeting.body.territory.code}-{meeting.body.kind}-{day}-{language}-{meeting.pk}"
    )[:80]
