"""Who might this be already? The door-time duplicate lookup, through indexed blocking keys.

Each probe is an index lookup (CIN, phone, name key with birth date, name key with commune, the
same last-name key and birth date for a mistyped first name), never a scan; the few rows found are
then scored with abwab.names.similarity. The lookup spans the whole file on purpose — a duplicate
registered in another commune is still a duplicate — but what lies outside the actor's scope is
never shown: `split_by_scope` keeps it apart, and callers say only that a record may exist
elsewhere (no name, no place, no card number, no id) and send the entry to review.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from abwab.core.scope import visible_to
from abwab.names import name_key, similarity
from abwab.people.keys import all_full_keys, full_names
from abwab.people.models import Person
from abwab.people.validation import clean_cin, clean_phone

REASONS = {
    "cin": _("same CIN"),
    "phone": _("same phone"),
    "name_birth": _("same name and birth date"),
    "name_commune": _("same name and commune"),
    "close_name": _("close spelling, same birth date"),
}
STRENGTH = {"cin": 1.0, "phone": 0.6, "name_birth": 0.8, "name_commune": 0.5, "close_name": 0.4}


@dataclass
class Candidate:
    person: Person
    reasons: list[str] = field(default_factory=list)
    name_score: float = 0.0

    @property
    def score(self) -> float:
        """Strongest reason, nudged by how alike the names are."""
        return round(
            min(1.0, max(STRENGTH[r] for r in self.reasons) * 0.8 + self.name_score * 0.2), 3
        )

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


LOOKUP_FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "cin",
    "phone",
    "birth_date",
)


def candidates_for(fields: dict, *, territory=None) -> list["Candidate"]:
    """duplicate_candidates for a dict of person fields (the ones it does not use are ignored)."""
    return duplicate_candidates(
        **{k: fields[k] for k in LOOKUP_FIELDS if fields.get(k)}, territory=territory
    )


def split_by_scope(actor, candidates: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """(candidates the actor may see, those they may not): only the first may be shown or picked."""
    visible = set(
        visible_to(
            actor, Person.objects.filter(pk__in=[c.person.pk for c in candidates])
        ).values_list("pk", flat=True)
    )
    return (
        [c for c in candidates if c.person.pk in visible],
        [c for c in candidates if c.person.pk not in visible],
    )


def probable(reasons, name_score: float) -> bool:
    """Whether shared identifiers plus name likeness make two records one person (batch rule)."""
    if "cin" in reasons:
        return name_score >= 0.5
    if "name_birth" in reasons:
        return name_score >= 0.8
    if "phone" in reasons or "close_name" in reasons:
        return name_score >= 0.85
    return "name_commune" in reasons and name_score >= 0.92


def _safe(cleaner, value):
    try:
        return cleaner(value)
    except Exception:  # noqa: BLE001 - an invalid identifier simply matches nothing
        return None


def duplicate_candidates(
    *,
    first_name_ar: str = "",
    last_name_ar: str = "",
    first_name_latin: str = "",
    last_name_latin: str = "",
    cin: str | None = None,
    phone: str | None = None,
    birth_date: datetime.date | None = None,
    territory=None,
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """Existing persons who may be the one being registered, best first."""
    keys = all_full_keys(first_name_ar, last_name_ar, first_name_latin, last_name_latin)
    last_keys = {k for k in (name_key(last_name_ar), name_key(last_name_latin)) if k}
    probes: list[tuple[str, Q]] = []
    if cin := _safe(clean_cin, cin):
        probes.append(("cin", Q(cin=cin)))
    if phone := _safe(clean_phone, phone):
        probes.append(("phone", Q(phone=phone)))
    if keys and birth_date:
        probes.append(("name_birth", Q(key_full__in=keys, birth_date=birth_date)))
    if keys and territory is not None:
        probes.append(("name_commune", Q(key_full__in=keys, territory=territory)))
    if last_keys and birth_date:
        probes.append(("close_name", Q(key_last__in=last_keys, birth_date=birth_date)))
    found: dict[int, Candidate] = {}
    base = Person.objects.live().select_related("territory").prefetch_related("memberships")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    for reason, query in probes:
        for person in base.filter(query)[:limit]:
            candidate = found.setdefault(person.pk, Candidate(person))
            if reason not in candidate.reasons:
                candidate.reasons.append(reason)
    query_names = full_names(first_name_ar, last_name_ar, first_name_latin, last_name_latin)
    for candidate in found.values():
        person = candidate.person
        names = full_names(
            person.first_name_ar,
            person.last_name_ar,
            person.first_name_latin,
            person.last_name_latin,
        )
        candidate.name_score = max(
            (similarity(a, b) for a in query_names for b in names), default=0.0
        )
        if candidate.reasons == ["close_name"] and candidate.name_score < 0.75:
            candidate.reasons = []  # same last name and birthday, but another first name
    ranked = sorted((c for c in found.values() if c.reasons), key=lambda c: (-c.score, c.person.pk))
    return ranked[:limit]
