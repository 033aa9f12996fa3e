"""iCalendar files (RFC 5545) of public events: one VEVENT per event, repeated daily over its days,
in Morocco's time zone. Written by hand (a few lines) rather than with a library: escaping, CRLF and
line folding at 75 octets are the whole of it."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from abwab.campaigns.models import Event

TZID = "Africa/Casablanca"
PRODID = "-//Abwab//Open doors//AR"
# Morocco keeps UTC+1 all year except during Ramadan (UTC+0); calendar apps know the zone by its
# name, this block only satisfies readers that insist on one.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0100",
    "TZNAME:+01",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> list[str]:
    """A content line cut into lines of at most 75 octets, continuations starting with a space,
    never splitting a UTF-8 character (Arabic letters take two octets)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _local(day: datetime.date, time: datetime.time) -> str:
    return datetime.datetime.combine(day, time).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, *, url: str, location: str, description: str) -> list[str]:
    """The VEVENT of one event: its first day's hours, repeated daily until its last day."""
    office = event.office
    days = (event.ends_on - event.starts_on).days + 1
    stamp = event.campaign.launched_at or timezone.now()
    lines = [
        "BEGIN:VEVENT",
        f"UID:abwab-open-doors-event-{event.pk}@abwab",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID={TZID}:{_local(event.starts_on, event.opens_at)}",
        f"DTEND;TZID={TZID}:{_local(event.starts_on, event.closes_at)}",
    ]
    if days > 1:
        lines.append(f"RRULE:FREQ=DAILY;COUNT={days}")
    lines += [
        f"SUMMARY:{escape(gettext('Open doors') + ' — ' + office.name)}",
        f"LOCATION:{escape(location)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url}",
    ]
    if (
        office.latitude is not None
        and office.longitude is not None
        and not event.address_on_request
    ):
        lines.append(f"GEO:{office.latitude};{office.longitude}")
    lines.append("END:VEVENT")
    return lines


def calendar(vevents: list[list[str]], name: str) -> str:
    """The whole file: CRLF line ends, folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for vevent in vevents:
        lines += vevent
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))
