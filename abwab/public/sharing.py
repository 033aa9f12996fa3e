"""Plain text for messaging apps (WhatsApp and the like): a province's open offices, their days,
hours and links, ready to paste. Plain text has no <bdi>: hours and phones inside Arabic lines are
wrapped in Unicode isolates (abwab.core.bidi), and each link stands alone on its line so that the
apps recognise it (an isolate glued to a URL can end up inside the link)."""

from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from abwab.campaigns.models import Event
from abwab.core import bidi, dates
from abwab.territory.models import Territory


def event_days(event: Event, language: str) -> str:
    """ "السبت 5 دجنبر 2026" for one day, "from … to …" for several."""
    if event.starts_on == event.ends_on:
        return dates.long_date(event.starts_on, language, weekday=True)
    return _("from %(first)s to %(last)s") % {
        "first": dates.long_date(event.starts_on, language, weekday=True),
        "last": dates.long_date(event.ends_on, language, weekday=True),
    }


def event_hours(event: Event) -> str:
    """ "10:00–19:00", always left to right."""
    return f"{event.opens_at:%H:%M}–{event.closes_at:%H:%M}"


def share_text(
    province: Territory, events: Iterable[Event], *, language: str, link: Callable[[Event], str]
) -> str:
    """The message listing the province's open offices in `language`, one block per office."""
    with translation.override(language):
        rtl = translation.get_language_bidi()

        def keep(text: str) -> str:
            return bidi.isolate_ltr(text) if rtl else text

        events = list(events)
        campaigns = list(dict.fromkeys(event.campaign for event in events))
        lines = [
            " · ".join(str(campaign) for campaign in campaigns) or _("Open doors"),
            _("The party's offices open their doors in %(province)s:") % {"province": province},
        ]
        if not events:
            lines.append(_("No open office announced yet."))
        for event in events:
            office = event.office
            place = office.territory
            lines += [
                "",
                f"• {office} — {place}",
                f"  {event_days(event, language)}{bidi.list_separator(language)}{keep(event_hours(event))}",
            ]
            if office.phone:
                lines.append(f"  {_('Phone')}: {keep(office.phone)}")
            lines.append(link(event))
        return "\n".join(lines)
