"""Printing the cards of a list of members as a background job: the sheet is stored as the job's
result file, and whoever may see the job (its territory covers every card on the sheet) may
download it."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.jobs import job_handler, job_progress, job_start
from abwab.core.models import Job
from abwab.core.roles import SECRETARIES
from abwab.core.scope import grants, visible_to
from abwab.people.cards import PER_PAGE, card_data, cards_pdf
from abwab.people.models import Membership, MembershipStatus
from abwab.territory.models import Territory

KIND = "people.cards"
MAX_CARDS = 10_000  # a thousand sheets; a bigger list is printed in parts (filter it)
KEEP = 5  # sheets kept per account: older ones are deleted (members' data, law 09-08)


def printable_memberships(*, actor, people: QuerySet) -> QuerySet:
    """The memberships whose cards the actor may print among these people: not ended, in scope."""
    return (
        visible_to(actor, Membership.objects.filter(person__in=people.values("pk")))
        .exclude(status=MembershipStatus.ENDED)
        .order_by("card_number")
    )


def _common_path(paths: list[str]) -> str:
    """The deepest node above all these materialised paths ("MA/03/" for MA/03/031/ and MA/03/)."""
    split = [path.rstrip("/").split("/") for path in paths]
    common = []
    for codes in zip(*split, strict=False):
        if len(set(codes)) > 1:
            break
        common.append(codes[0])
    return "/".join(common) + "/"


@transaction.atomic
def cards_print_start(*, actor, memberships: QuerySet, base_url: str) -> Job:
    """Queue the card sheet of these memberships (already scoped to the actor). The job sits at the
    deepest node above them all, inside one of the actor's secretary grants: whoever may see the
    job may see every card on it. Cards outside that grant wait for another print."""
    rows = list(memberships.values_list("pk", "territory__path")[: MAX_CARDS + 1])
    if not rows:
        raise ValidationError(_("No member to print a card for."), code=ErrorCode.EMPTY)
    if len(rows) > MAX_CARDS:
        raise ValidationError(
            _("More than %(count)d cards: narrow the list first.") % {"count": MAX_CARDS},
            code=ErrorCode.TOO_MANY,
        )
    granted = [path for grant in grants(actor) if grant.role in SECRETARIES for path in grant.paths]
    if not granted:
        raise ValidationError(
            _("Only secretaries print membership cards."), code=ErrorCode.FORBIDDEN
        )
    best = max(granted, key=lambda path: sum(1 for _pk, p in rows if p.startswith(path)))
    kept = [(pk, path) for pk, path in rows if path.startswith(best)]
    if not kept:
        raise ValidationError(_("No member to print a card for."), code=ErrorCode.EMPTY)
    territory = Territory.objects.get(path=_common_path([path for _pk, path in kept]))
    return job_start(
        actor=actor,
        kind=KIND,
        territory=territory,
        params={"memberships": [pk for pk, _path in kept], "base_url": base_url},
    )


@job_handler(KIND)
def cards_print(job: Job) -> dict:
    """Lay out the sheet with progress, store it as the job's file."""
    memberships = Membership.objects.filter(
        pk__in=job.params["memberships"], territory__path__startswith=job.territory.path
    )
    if job.created_by is None:
        raise ValidationError(_("The account that asked for these cards no longer exists."))
    # Printed as its author may still see them, not as they could when they asked.
    memberships = visible_to(job.created_by, memberships).select_related("person", "territory")
    cards = card_data(memberships.order_by("card_number"), base_url=job.params["base_url"])
    total = len(cards)
    job_progress(job, done=0, total=total, message=_("Laying out the cards"))
    pdf = cards_pdf(
        cards,
        progress=lambda done, _total: job_progress(
            job,
            done=min(done, total - 1),  # the last step is writing the file
            message=_("%(done)d of %(total)d cards laid out") % {"done": done, "total": total},
        ),
    )
    name = default_storage.save(f"cards/job-{job.pk}.pdf", ContentFile(pdf))
    _forget_old_sheets(job)
    return {
        "file": name,
        "cards": total,
        "pages": -(-total // PER_PAGE),
        "link": reverse("people:cards_file", args=[job.pk]),
    }


def _forget_old_sheets(job: Job) -> None:
    """Delete the files of the author's older sheets beyond the KEEP most recent (this one counts)."""
    older = (
        Job.objects.filter(kind=KIND, created_by=job.created_by, result__has_key="file")
        .exclude(pk=job.pk)
        .order_by("-created_at", "-pk")[KEEP - 1 :]
    )
    for old in older:
        if old.result.get("file"):
            default_storage.delete(old.result["file"])
        Job.objects.filter(pk=old.pk).update(
            result={key: value for key, value in old.result.items() if key not in ("file", "link")}
        )


def cards_file(job: Job):
    """The stored sheet of a finished card job, opened for reading."""
    return default_storage.open(job.result["file"], "rb")
