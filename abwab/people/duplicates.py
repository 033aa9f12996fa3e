"""Who might this be already? The door-time duplicate lookup, through indexed blocking keys.

Each probe is an index lookup (CIN, phone, name key with birth date, name key with commune, the
same last-name key and birth date for a mistyped first name), never a scan; a CIN or phone is read
as typed (abwab.names.identifiers: case, spaces, look-alike letters) and also looked up among the
few hundred numbers one typing error away (a swap, a digit dropped, doubled, added or replaced, a
prefix letter swapped, dropped or added). The few rows found are scored with
abwab.names.similarity and ranked by all the reasons that found them together. The lookup spans the whole file on purpose — a duplicate
registered in another commune is still a duplicate — but what lies outside the actor's scope is
never shown: `split_by_scope` keeps it apart, and callers say only that a record may exist
elsewhere (no name, no place, no card number, no id) and send the entry to review.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Q, Value
from django.utils.translation import gettext_lazy as _

from abwab.core.scope import visible_to
from abwab.names import name_key, similarity
from abwab.names.identifiers import cin_variants, phone_variants, read_cin, read_phone
from abwab.people.keys import all_full_keys, full_names
from abwab.people.models import Person
from abwab.people.validation import clean_cin, clean_phone

REASONS = {
    "cin": _("same CIN"),
    "phone": _("same phone"),
    "name_birth": _("same name and birth date"),
    "name_commune": _("same name and commune"),
    "close_name": _("close spelling, same birth date"),
    "cin_near": _("CIN one typing error away"),
    "phone_near": _("phone one typing error away"),
}
# How much each reason alone makes a candidate the person; several reasons add up (noisy-or).
STRENGTH = {
    "cin": 1.0,
    "phone": 0.6,
    "name_birth": 0.8,
    "name_commune": 0.5,
    "close_name": 0.4,
    "cin_near": 0.6,
    "phone_near": 0.3,
}
# Reasons too weak alone when the names differ: a neighbour's card or number, a sibling.
WEAK_ALONE = {"close_name": 0.75, "cin_near": 0.7, "phone_near": 0.8}


@dataclass
class Candidate:
    person: Person
    reasons: list[str] = field(default_factory=list)
    name_score: float = 0.0

    @property
    def score(self) -> float:
        """All the reasons together (each one leaves less doubt), nudged by how alike the names are."""
        doubt = 1.0
        for reason in self.reasons:
            doubt *= 1.0 - STRENGTH[reason]
        return round(min(1.0, (1.0 - doubt) * 0.8 + self.name_score * 0.2), 3)

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
    if "cin_near" in reasons:  # one typing error off: the names must agree as with a birth date
        return name_score >= 0.8
    if "name_birth" in reasons:
        return name_score >= 0.8
    if "phone" in reasons or "close_name" in reasons or "phone_near" in reasons:
        return name_score >= 0.85
    return "name_commune" in reasons and name_score >= 0.92


def _safe(cleaner, value):
    try:
        return cleaner(value)
    except Exception:  # noqa: BLE001 - an invalid identifier simply matches nothing
        return None


def _probe(probes: list[tuple[str, Q]], *, exclude_pk: int | None, limit: int):
    """(person id, reason) for the first ``limit`` persons each probe finds: one round trip
    (UNION ALL) where the database allows a limit in each part, one per probe elsewhere."""
    ids = Person.objects.live()
    if exclude_pk:
        ids = ids.exclude(pk=exclude_pk)
    if len(probes) > 1 and connection.features.supports_slicing_ordering_in_compound:
        parts = [
            ids.filter(query).values_list("pk", Value(reason, output_field=CharField()))[:limit]
            for reason, query in probes
        ]
        return list(parts[0].union(*parts[1:], all=True))
    if len(probes) > 1:
        # SQLite takes no LIMIT inside a compound's parts, but does inside subqueries: still one
        # round trip (only the ORM's own compiled SQL is joined).
        sqls, params = [], []
        for index, (reason, query) in enumerate(probes):
            sql, part = ids.filter(query).values_list("pk")[:limit].query.sql_with_params()
            sqls.append(f"SELECT * FROM (SELECT p{index}.*, %s FROM ({sql}) AS p{index})")  # noqa: S608
            params += [reason, *part]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sqls), params)
            return [tuple(row) for row in cursor.fetchall()]
    return [
        (pk, reason)
        for reason, query in probes
        for pk in ids.filter(query).values_list("pk", flat=True)[:limit]
    ]


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
    typed_cin, typed_phone = cin or "", phone or ""
    if cin := _safe(clean_cin, typed_cin) or _safe(clean_cin, read_cin(typed_cin)):
        probes.append(("cin", Q(cin=cin)))
    if near := cin_variants(typed_cin):
        probes.append(("cin_near", Q(cin__in=near)))
    if phone := _safe(clean_phone, typed_phone) or _safe(clean_phone, read_phone(typed_phone)):
        probes.append(("phone", Q(phone=phone)))
    if (phone or typed_phone) and (near := phone_variants(phone or typed_phone)):
        probes.append(("phone_near", Q(phone__in=["+212" + v[1:] for v in near])))
    if keys and birth_date:
        probes.append(("name_birth", Q(key_full__in=keys, birth_date=birth_date)))
    if keys and territory is not None:
        probes.append(("name_commune", Q(key_full__in=keys, territory=territory)))
    if last_keys and birth_date:
        probes.append(("close_name", Q(key_last__in=last_keys, birth_date=birth_date)))
    found: dict[int, Candidate] = {}
    people = Person.objects.live().select_related("territory").prefetch_related("memberships")
    hits = _probe(probes, exclude_pk=exclude_pk, limit=limit)
    by_pk = people.in_bulk({pk for pk, _ in hits})
    for pk, reason in hits:
        if pk in by_pk:
            candidate = found.setdefault(pk, Candidate(by_pk[pk]))
            if reason not in candidate.reasons:
                candidate.reasons.append(reason)
    order = {reason: index for index, (reason, _) in enumerate(probes)}
    for candidate in found.values():
        candidate.reasons.sort(key=order.__getitem__)
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
        weak = [WEAK_ALONE.get(r) for r in candidate.reasons]
        if all(weak) and candidate.name_score < min(weak):
            # Found only by a weak reason and the names differ: same last name and birthday
            # but another first name, or another person's number one typing error away.
            candidate.reasons = []
    ranked = sorted((c for c in found.values() if c.reasons), key=lambda c: (-c.score, c.person.pk))
    return ranked[:limit]
