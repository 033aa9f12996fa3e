"""What a send's SMS will cost, shown before it goes (members' messages, convocations, the memo):
per language, the text as it will be sent (placeholders filled with a sample recipient's values),
its encoding and parts per message (GSM-7 160/153, UCS-2 70/67), how many recipients will get it
by SMS (a phone and a consent in force for the purpose on SMS: the engine's selector), the total,
and the characters that turn a text that could be GSM-7 into UCS-2 (the stray-character warning).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from abwab.messaging.consent import people_with_consent
from abwab.messaging.sms import estimate
from abwab.messaging.sms.encoding import UCS2
from abwab.people.models import ConsentMedium

LANGUAGES = ("ar", "fr")
SAMPLE = {  # a long-ish name, so the estimate errs on the dear side
    "first_name": "عبد الرحمان",
    "last_name": "العلوي الإدريسي",
    "first_name_latin": "Abderrahmane",
    "last_name_latin": "El Alaoui El Idrissi",
}
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
CONSENT_CHUNK = 1000  # person ids per consent query


@dataclass(frozen=True)
class Cost:
    """One language's SMS: encoding, parts per message, recipients, and the stray characters."""

    language: str
    encoding: str
    parts: int
    chars: int
    recipients: int
    stray: tuple[str, ...]
    text: str = ""

    @property
    def total(self) -> int:
        return self.parts * self.recipients


@dataclass(frozen=True)
class SmsCost:
    """The cost of a send's SMS, one line per language written (iterable like a list of lines)."""

    lines: tuple[Cost, ...]
    considered: int  # recipients of the send, with or without a phone and a consent

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def reached(self) -> int:
        return sum(line.recipients for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


def stray_characters(language: str, text: str) -> tuple[str, ...]:
    """The characters that make a text UCS-2 when it need not be: none for an Arabic text (UCS-2
    by nature); for any other text, every character GSM-7 cannot carry."""
    found = estimate(text)
    if found.encoding != UCS2 or (language == "ar" and ARABIC.search(text)):
        return ()
    return found.culprits


def _rows(recipients) -> list[tuple[int, str, list]]:
    """(id, phone, languages) of each recipient once: a queryset of persons or persons."""
    if isinstance(recipients, QuerySet):
        values = recipients.order_by().values_list("pk", "phone", "languages")
    else:
        values = ((p.pk, p.phone, p.languages) for p in recipients)
    seen: dict[int, tuple[int, str, list]] = {}
    for pk, phone, languages in values:
        seen.setdefault(pk, (pk, phone or "", languages or []))
    return list(seen.values())


def _with_consent(ids: list[int], purpose: str) -> set[int]:
    allowed: set[int] = set()
    for start in range(0, len(ids), CONSENT_CHUNK):
        allowed |= people_with_consent(
            person_ids=ids[start : start + CONSENT_CHUNK], purpose=purpose, medium=ConsentMedium.SMS
        )
    return allowed


def _reads(languages: list, texts: dict[str, str]) -> str:
    """Which text a recipient gets, as the engine picks it: French for one whose first language
    is French when there is a French text, else the Arabic one (or the only one written)."""
    if languages and languages[0] == "fr" and texts["fr"]:
        return "fr"
    return "ar" if texts["ar"] else "fr"


def sms_cost(
    send_texts: dict[str, str],
    recipients: QuerySet | Iterable,
    purpose: str,
    *,
    context: dict | None = None,
) -> SmsCost:
    """The SMS cost of sending `send_texts` ({"body_ar": ..., "body_fr": ...}, as a Send holds
    them, `{placeholders}` included) to `recipients` (persons) for `purpose`. `context` adds the
    personal values (a reply or read link of the real form) to the sample recipient's names."""
    from abwab.messaging.engine import render

    sample = {**SAMPLE, **(context or {})}
    texts = {
        language: render((send_texts.get(f"body_{language}") or "").strip(), sample)
        for language in LANGUAGES
    }
    rows = _rows(recipients)
    allowed = _with_consent([pk for pk, phone, _l in rows if phone], purpose) if rows else set()
    reach = dict.fromkeys(LANGUAGES, 0)
    for pk, _phone, languages in rows:
        if pk in allowed:
            reach[_reads(languages, texts)] += 1
    lines = []
    for language in LANGUAGES:
        text = texts[language]
        if not text:
            continue
        found = estimate(text)
        lines.append(
            Cost(
                language=language,
                encoding=found.encoding,
                parts=found.parts,
                chars=found.chars,
                recipients=reach[language],
                stray=stray_characters(language, text),
                text=text,
            )
        )
    return SmsCost(lines=tuple(lines), considered=len(rows))
