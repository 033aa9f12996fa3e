"""Merging a duplicate record into a surviving one, keeping every row, and undoing it.

Nothing is deleted: consents, memberships (with their history), positions, mandates and recruits
move to the survivor; blank fields of the survivor are filled from the duplicate; the duplicate
stays as a hidden record pointing at the survivor. Every change is written to the merge's journal,
which `person_merge_undo` replays backwards.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.people.models import (
    Consent,
    Mandate,
    Membership,
    MembershipStatus,
    Person,
    PersonMerge,
    Position,
)
from abwab.people.services import _clean_person, membership_change_status, membership_set_status
from abwab.people.tallies import member_counts_track

FILLABLE = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "gender",
    "birth_date",
    "phone",
    "email",
    "education",
    "profession",
)
MOVED = {
    "consent": (Consent, "person"),
    "membership": (Membership, "person"),
    "position": (Position, "person"),
    "mandate": (Mandate, "person"),
    "recruit": (Membership, "recruited_by"),
}


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def person_merge(*, actor, survivor: Person, duplicate: Person) -> PersonMerge:
    """Merge `duplicate` into `survivor`; returns the merge record that can undo it."""
    with member_counts_track(person_ids=[survivor.pk, duplicate.pk]):
        return _merge(actor=actor, survivor=survivor, duplicate=duplicate)


def _merge(*, actor, survivor: Person, duplicate: Person) -> PersonMerge:
    survivor, duplicate = (
        Person.objects.select_for_update().get(pk=p.pk) for p in (survivor, duplicate)
    )
    if survivor.pk == duplicate.pk or survivor.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(
            _("These two records cannot be merged (already merged, or the same record)."),
            code=ErrorCode.BAD_MERGE,
        )
    journal: dict = {"filled": {}, "moved": {}, "ended": [], "skills": [], "cin": None}
    # One open membership per person: the duplicate's is ended, with a history row, before it moves.
    open_here = (
        Membership.objects.filter(person=survivor).exclude(status=MembershipStatus.ENDED).first()
    )
    for membership in Membership.objects.filter(person=duplicate).exclude(
        status=MembershipStatus.ENDED
    ):
        if open_here is not None:
            journal["ended"].append([membership.pk, membership.status])
            reason = _("Duplicate of card %(card)s") % {"card": open_here.card_number}
            membership_change_status(
                actor=actor, membership=membership, to_status=MembershipStatus.ENDED, reason=reason
            )
    for name, (model, field) in MOVED.items():
        ids = list(model.objects.filter(**{field: duplicate}).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(**{field: survivor})
        journal["moved"][name] = ids
    if duplicate.cin and not survivor.cin:
        journal["cin"] = duplicate.cin
        Person.objects.filter(pk=duplicate.pk).update(cin=None)
        survivor.cin = duplicate.cin
    for field in FILLABLE:
        if getattr(duplicate, field) and not getattr(survivor, field):
            journal["filled"][field] = _json(getattr(survivor, field))
            setattr(survivor, field, getattr(duplicate, field))
    added = set(duplicate.skills.values_list("pk", flat=True)) - set(
        survivor.skills.values_list("pk", flat=True)
    )
    survivor.skills.add(*added)
    journal["skills"] = sorted(added)
    _clean_person(survivor)
    survivor.save()
    Person.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    return PersonMerge.objects.create(
        survivor=survivor, merged=duplicate, by=actor, journal=journal
    )


@transaction.atomic
def person_merge_undo(*, actor, merge: PersonMerge) -> PersonMerge:
    """Put both records back as they were before the merge (history rows of the undo are kept)."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."), code=ErrorCode.ALREADY_UNDONE)
    later = PersonMerge.objects.filter(
        survivor=merge.survivor, at__gt=merge.at, undone_at__isnull=True
    ).exists()
    if later:
        raise ValidationError(
            _("Undo the later merges into this record first."), code=ErrorCode.LATER_MERGES
        )
    with member_counts_track(person_ids=[merge.survivor_id, merge.merged_id]):
        _undo(actor=actor, merge=merge)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge


def _undo(*, actor, merge: PersonMerge) -> None:
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    journal = merge.journal
    for name, ids in journal["moved"].items():
        model, field = MOVED[name]
        model.objects.filter(pk__in=ids).update(**{field: merge.merged_id})
    for field, old in journal["filled"].items():
        setattr(survivor, field, old)
    survivor.skills.remove(*journal["skills"])
    if journal["cin"]:
        survivor.cin = None
    _clean_person(survivor)
    survivor.save()
    restored = {"merged_into": None, **({"cin": journal["cin"]} if journal["cin"] else {})}
    Person.objects.filter(pk=merge.merged_id).update(**restored)
    for membership_id, status in journal["ended"]:
        membership = Membership.objects.get(pk=membership_id)
        membership_set_status(
            actor=actor, membership=membership, to_status=status, reason=_("Merge undone")
        )
