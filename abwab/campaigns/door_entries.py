"""Whole door entries as a device sends them: a sign-up in one request, and the offline queue's batches.

An entry carries the key its device minted. Sending it again, once or a hundred times, after a lost
answer, a dropped connection or a server restart, returns what the first one stored: the check-in,
the person, the membership and the review item are written in one transaction keyed by that entry.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from abwab.campaigns.door import (
    _ancestors,
    _replayed,
    _visit,
    checkin_record,
    consent_check,
    desk_candidates,
    desk_check,
    desk_commune_of,
    member_write,
    person_prepare,
)
from abwab.campaigns.models import CheckIn, Event, Purpose
from abwab.core.errors import ErrorCode
from abwab.people.duplicates import Candidate, probable
from abwab.people.models import DuplicateCluster, Membership, MembershipStatus, Person
from abwab.territory.models import Territory, common_path

# Person fields a door sign-up may carry.
SIGNUP_FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "birth_date",
    "cin",
    "phone",
    "email",
    "gender",
    "education",
    "profession",
)
NAME_FIELDS = ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")
# A batch is what a desk could queue in a few hours offline; bigger ones are split by the device.
SYNC_MAX_ENTRIES = 100


class OnDuplicate:
    ASK = "ask"  # online: answer with the candidates, store nothing, let the volunteer choose
    REVIEW = "review"  # offline: store, and leave a review item for a secretary


class PossibleDuplicates(Exception):
    """The sign-up looks like persons in the volunteer's scope; the volunteer must answer first.
    `elsewhere` says only that a record outside their scope may match too (it goes to review)."""

    def __init__(self, candidates: list[Candidate], *, elsewhere: bool = False):
        super().__init__("possible duplicates")
        self.candidates = candidates
        self.elsewhere = elsewhere


@dataclass
class SignupOutcome:
    checkin: CheckIn
    membership: Membership | None
    created: bool
    review: DuplicateCluster | None = None


@dataclass
class SyncResult:
    client_key: str
    status: str  # stored, already, rejected
    code: str = ""
    message: str = ""
    checkin: CheckIn | None = None
    membership: Membership | None = None
    review: DuplicateCluster | None = None
    extra: dict = field(default_factory=dict)


def review_note() -> str:
    """All a desk learns of a match it may not see."""
    return _("A record may already exist outside your area: this sign-up goes to review.")


def _split_name(name: str) -> dict:
    """A visitor's name typed once, as a first name and the rest, in the script it was typed in."""
    words = (name or "").split()
    if not words:
        return {}
    script = "ar" if any("\u0600" <= c <= "\u06ff" for c in name) else "latin"
    return {f"first_name_{script}": words[0], f"last_name_{script}": " ".join(words[1:])}


def _person_fields(person: dict, checkin: dict) -> dict:
    fields = {k: v for k, v in person.items() if k in SIGNUP_FIELDS and v not in (None, "")}
    if not any(fields.get(k) for k in NAME_FIELDS):
        # The name is typed once, as the visitor's: the person's names are read from it.
        fields.update({k: v for k, v in _split_name(checkin.get("name", "")).items() if v})
    if checkin.get("phone"):
        fields.setdefault("phone", checkin["phone"])
    if checkin.get("gender"):
        fields.setdefault("gender", checkin["gender"])
    if fields.get("gender"):
        fields["gender"] = fields["gender"].upper()  # "f" as well as "F"
    return fields


def _visitor_name(person: dict, checkin: dict) -> str:
    """The visitor's name as typed, or the person's names when only those were given."""
    if (checkin.get("name") or "").strip():
        return checkin["name"]
    arabic = f"{person.get('first_name_ar', '')} {person.get('last_name_ar', '')}".strip()
    latin = f"{person.get('first_name_latin', '')} {person.get('last_name_latin', '')}".strip()
    return arabic or latin


def _outcome(checkin: CheckIn, *, created: bool) -> SignupOutcome:
    # The membership this entry made, even if it has ended or been merged away since.
    membership = Membership.objects.filter(person_id=checkin.person_id).order_by("-pk").first()
    review = (
        DuplicateCluster.objects.filter(job=None, people=checkin.person_id).order_by("pk").first()
    )
    return SignupOutcome(checkin=checkin, membership=membership, created=created, review=review)


def _common_territory(territories: list[Territory]) -> Territory:
    """The lowest node covering them all, so whoever reviews it may see every record in it."""
    return Territory.objects.get(path=common_path(t.path for t in territories))


def _same_identity(candidates: list[Candidate]) -> Candidate | None:
    return next(
        (c for c in candidates if "cin" in c.reasons and probable(c.reasons, c.name_score)), None
    )


def _review_item(person: Person, candidates: list[Candidate]) -> DuplicateCluster:
    """A duplicate warning nobody could see at the desk becomes a cluster to review."""
    people = [person, *(c.person for c in candidates)]
    cluster = DuplicateCluster.objects.create(
        territory=_common_territory([p.territory for p in people]),
        score=max(c.score for c in candidates),
    )
    cluster.people.set(people)
    return cluster


def door_signup_entry(
    *,
    actor,
    event: Event,
    client_key: str,
    checkin: dict,
    person: dict,
    consent_given: bool,
    territory: Territory | None = None,
    existing_person_id: int | None = None,
    on_duplicate: str = OnDuplicate.ASK,
    at: datetime.datetime | None = None,
    visit: CheckIn | None = None,
) -> SignupOutcome:
    """Check a visitor in and sign them up in one step, exactly once per entry key: the one
    sign-up path of the web desk, the API and the offline sync.

    Matches in the actor's scope are asked about (ASK) or joined when the CIN and name agree
    (REVIEW); `existing_person_id` must be one of the matches shown (in scope). Matches outside
    the scope are never shown nor joined: the sign-up is stored as a new person and left for
    review with the lowest secretariat that sees every record.

    `visit` is a check-in of this event already recorded for this visitor, possibly by another
    volunteer (a pre-registration's arrival, see campaigns.prereg): the sign-up completes it."""
    if visit is not None and visit.event_id != event.pk:
        raise ValidationError(_("This visit belongs to another event."), code=ErrorCode.INVALID)
    first = visit if visit is not None else _replayed(actor, event, client_key)
    if first is not None and first.person_id:
        return _outcome(first, created=False)
    desk_check(actor, event)
    consent_check(consent_given)
    fields = _person_fields(person, checkin)
    place = territory or event.office.territory
    visit = first or _visit(
        actor=actor,
        event=event,
        client_key=client_key,
        name=_visitor_name(fields, checkin),
        purpose=Purpose.MEMBERSHIP,
        territory=place,
        phone=checkin.get("phone", ""),
        age_band=checkin.get("age_band", ""),
        gender=checkin.get("gender", ""),
        at=at,
    )
    visit.territory = first.territory if first is not None else place
    new = person_prepare(actor=actor, territory=visit.territory, office=event.office, **fields)
    lookup = {k: getattr(new, k) for k in (*NAME_FIELDS, "cin", "phone", "birth_date")}
    shown, outside = desk_candidates(actor, lookup, visit.territory)
    existing = None
    if existing_person_id is not None:
        # The volunteer answered the warning: only a record it showed them may be picked.
        existing = next((c.person for c in shown if c.person.pk == existing_person_id), None)
        if existing is None:
            raise ValidationError(
                _("This person was not offered as a match."), code=ErrorCode.NOT_OFFERED
            )
        shown = []
    elif shown and on_duplicate == OnDuplicate.ASK:
        raise PossibleDuplicates(shown, elsewhere=bool(outside))
    if shown and (same := _same_identity(shown)):
        # Nobody could answer the warning, but a national ID number with a name that agrees is
        # the person: the sign-up joins that record instead of failing on the unique CIN.
        existing, shown = same.person, [c for c in shown if c is not same]
    if existing is not None:
        current = [m for m in existing.memberships.all() if m.status != MembershipStatus.ENDED]
        if current:
            raise ValidationError(
                _("This person is already a member (card %(card)s).")
                % {"card": current[0].card_number},
                code=ErrorCode.ALREADY_MEMBER,
            )
    elif any("cin" in c.reasons for c in outside):
        # A record the actor may not see holds this CIN: the new record goes without it (the
        # unique CIN would refuse it, and so tell), and the reviewer, who sees both, decides.
        new.cin = None
    candidates = shown + outside
    places = _ancestors(visit.territory, event)
    try:
        with transaction.atomic():
            membership = member_write(
                actor=actor,
                person=existing or new,
                checkin=visit,
                places=places,
                new_person=existing is None,
            )
            review = _review_item(membership.person, candidates) if candidates else None
    except IntegrityError:
        # A copy of this entry was stored meanwhile (its key is unique per account).
        again = (
            CheckIn.objects.filter(pk=visit.pk).first()
            if visit is not None
            else _replayed(actor, event, client_key)
        )
        if again is not None and again.person_id:
            return _outcome(again, created=False)
        raise ValidationError(
            {"cin": ValidationError(_("This national ID number (CIN) is already recorded."))},
            code=ErrorCode.CIN_TAKEN,
        ) from None
    return SignupOutcome(checkin=visit, membership=membership, created=True, review=review)


def desk_commune(event: Event, code: str | None) -> Territory | None:
    """The commune a desk entry names, among those the desk offers."""
    if not code:
        return None
    found = desk_commune_of(event, code)
    if found is None:
        raise ValidationError(
            _("This commune is not one this desk serves."), code=ErrorCode.UNKNOWN_TERRITORY
        )
    return found


def _sync_one(*, actor, event: Event, entry: dict) -> SyncResult:
    key = entry["client_key"]
    checkin = entry.get("checkin") or {}
    territory = desk_commune(event, checkin.get("territory_code"))
    if entry["kind"] == "signup":
        outcome = door_signup_entry(
            actor=actor,
            event=event,
            client_key=key,
            checkin=checkin,
            person=entry.get("person") or {},
            consent_given=bool(entry.get("consent_given")),
            territory=territory,
            on_duplicate=OnDuplicate.REVIEW,
            at=entry.get("recorded_at"),
        )
        return SyncResult(
            client_key=key,
            status="stored" if outcome.created else "already",
            checkin=outcome.checkin,
            membership=outcome.membership,
            review=outcome.review,
        )
    visit, created = checkin_record(
        actor=actor,
        event=event,
        client_key=key,
        name=checkin.get("name", ""),
        purpose=checkin.get("purpose") or Purpose.INFORMATION,
        territory=territory,
        phone=checkin.get("phone", ""),
        age_band=checkin.get("age_band", ""),
        gender=checkin.get("gender", ""),
        at=entry.get("recorded_at"),
    )
    return SyncResult(client_key=key, status="stored" if created else "already", checkin=visit)


def door_sync(*, actor, event: Event, entries: list[dict]) -> list[SyncResult]:
    """Store a desk's queued entries, each on its own: one refused entry does not hold the others."""
    if len(entries) > SYNC_MAX_ENTRIES:
        raise ValidationError(
            _("Send at most %(n)d entries at a time.") % {"n": SYNC_MAX_ENTRIES},
            code=ErrorCode.TOO_MANY_ENTRIES,
        )
    results = []
    for entry in entries:
        try:
            results.append(_sync_one(actor=actor, event=event, entry=entry))
        except ValidationError as error:
            code = getattr(error, "code", None) or (
                error.error_list[0].code if hasattr(error, "error_list") else ""
            )
            results.append(
                SyncResult(
                    client_key=entry["client_key"],
                    status="rejected",
                    code=code or ErrorCode.INVALID_INPUT,
                    message=" ".join(error.messages),
                )
            )
    return results
