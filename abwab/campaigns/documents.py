"""The campaign's documents (the programme, the government, parliamentary and council records):
added and removed by those who run the campaign, read by citizens on the public pages once the
campaign is launched and the document is marked public."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from abwab.campaigns.models import Campaign, CampaignDocument, CampaignStatus
from abwab.core.errors import ErrorCode
from abwab.core.scope import require_change
from abwab.core.uploads import check_upload

DOCUMENT_KINDS = ("pdf",)


@transaction.atomic
def document_add(
    *,
    actor,
    campaign: Campaign,
    kind: str,
    title_ar: str,
    file,
    title_fr: str = "",
    summary_ar: str = "",
    summary_fr: str = "",
    public: bool = True,
) -> CampaignDocument:
    """Add a PDF to the campaign (checked for size and for being a PDF before anything is stored)."""
    require_change(actor, campaign, _("Only those who run the campaign add its documents."))
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot change."), code=ErrorCode.CLOSED)
    document = CampaignDocument(
        campaign=campaign,
        kind=kind,
        title_ar=title_ar.strip(),
        title_fr=title_fr.strip(),
        summary_ar=summary_ar.strip(),
        summary_fr=summary_fr.strip(),
        public=public,
        added_by=actor,
    )
    document.full_clean(exclude=["file"])
    check_upload(file, allowed=DOCUMENT_KINDS)
    document.file.save(file.name, file, save=False)
    document.save()
    return document


@transaction.atomic
def document_remove(*, actor, document: CampaignDocument) -> None:
    """Remove a document and its file (the file goes once the row is gone for good)."""
    require_change(
        actor, document.campaign, _("Only those who run the campaign remove its documents.")
    )
    storage, name = document.file.storage, document.file.name
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def public_documents() -> QuerySet:
    """Documents citizens may read: marked public, of a launched campaign (no login needed)."""
    return CampaignDocument.objects.filter(
        public=True, campaign__status=CampaignStatus.LAUNCHED
    ).select_related("campaign")


def document_title(document: CampaignDocument, language: str) -> str:
    """The title in the page's language, the Arabic one when there is no French."""
    return document.title_fr if language == "fr" and document.title_fr else document.title_ar


def document_summary(document: CampaignDocument, language: str) -> str:
    return document.summary_fr if language == "fr" and document.summary_fr else document.summary_ar
