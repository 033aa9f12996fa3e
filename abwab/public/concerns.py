"""Concerns left on the public site: what an accepted one becomes (a listening concern in its
commune's dossier), and what its receipt number lets anyone see (its status, nothing else)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from abwab.listening.models import Category, DossierStatus
from abwab.listening.services import concern_record_online
from abwab.public.models import PublicSubmission, SubmissionKind, SubmissionStatus


def concern_accept(submission: PublicSubmission) -> None:
    """The acceptor of concerns (registered with `abwab.public.submissions`)."""
    data = submission.payload
    submission.concern = concern_record_online(
        receipt=submission.receipt,
        territory=submission.territory,
        category=Category.objects.get(pk=data["category"]),
        description=data.get("description", ""),
        urgency=data.get("urgency", "normal"),
        wants_answer=bool(data.get("wants_answer")),
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        contact_consent=bool(data.get("contact_consent")),
    )


class Stage:
    RECEIVED = "received"
    CHECKING = "checking"
    IN_DOSSIER = "in_dossier"
    ANSWERED = "answered"
    REJECTED = "rejected"


STAGE_LABELS = {
    Stage.RECEIVED: _("Received: it is in the commune's dossier."),
    Stage.CHECKING: _("Received: it is being checked before it goes to the commune's dossier."),
    Stage.IN_DOSSIER: _("In the commune's dossier, which was carried further:"),
    Stage.ANSWERED: _("Answered: the dossier it belongs to received an answer."),
    Stage.REJECTED: _("Not accepted: it did not pass the check."),
}


@dataclass(frozen=True)
class Follow:
    """What the public may know of a receipt number: a stage and, for a dossier carried
    somewhere, where (the dossier's status label). Never the text, the name or the phone."""

    stage: str
    detail: str = ""
    kind: str = SubmissionKind.CONCERN

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


def follow(receipt: str) -> Follow | None:
    """The status of the submission with this receipt number, or None when there is none."""
    submission = (
        PublicSubmission.objects.filter(receipt=receipt)
        .select_related("concern__dossier", "preregistration")
        .first()
    )
    if submission is None:
        return None
    if submission.status == SubmissionStatus.HELD:
        return Follow(Stage.CHECKING, kind=submission.kind)
    if submission.status == SubmissionStatus.REJECTED:
        return Follow(Stage.REJECTED, kind=submission.kind)
    if submission.kind == SubmissionKind.PREREGISTRATION:
        prereg = submission.preregistration
        detail = prereg.get_status_display() if prereg is not None else ""
        return Follow(Stage.RECEIVED, detail=str(detail), kind=submission.kind)
    concern = submission.concern
    if concern is None:
        return Follow(Stage.RECEIVED)
    status = concern.dossier.status
    if status == DossierStatus.ANSWERED:
        return Follow(Stage.ANSWERED)
    if status == DossierStatus.OPEN:
        return Follow(Stage.RECEIVED)
    return Follow(Stage.IN_DOSSIER, detail=str(DossierStatus(status).label))
