"""The campaign's documents from the screen: those who run the campaign add the programme and the
records as PDFs and remove them (after a confirmation); everyone who sees the campaign reads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.campaigns.documents import document_add, document_remove
from abwab.campaigns.forms import DocumentForm
from abwab.campaigns.models import Campaign, CampaignDocument, CampaignStatus
from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can, get_visible_or_404, visible_to


@login_required
@require_http_methods(["GET", "POST"])
def campaign_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The list with its upload form; `?remove=<id>` asks to confirm a removal, `?read=<id>` opens one."""
    if request.method == "POST":
        return _post(request, pk)
    campaign = get_visible_or_404(request.user, Campaign, pk=pk)
    documents = visible_to(request.user, CampaignDocument.objects.filter(campaign=campaign))
    if read := request.GET.get("read"):
        document = get_visible_or_404(request.user, documents, pk=read)
        return FileResponse(
            document.file.open("rb"), filename=document.file.name.rsplit("/", 1)[-1]
        )
    may_change = can(request.user, CHANGE, campaign) and campaign.status != CampaignStatus.CLOSED
    removing = (
        get_visible_or_404(request.user, documents, CHANGE, pk=request.GET["remove"])
        if may_change and request.GET.get("remove")
        else None
    )
    return render(
        request,
        "campaigns/campaign_documents.html",
        {
            "campaign": campaign,
            "documents": documents.select_related("added_by"),
            "form": DocumentForm() if may_change else None,
            "removing": removing,
        },
    )


def _post(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or remove: the campaign and the document both through the gate, for changing."""
    campaign = get_visible_or_404(request.user, Campaign, CHANGE, pk=pk)
    if request.POST.get("action") == "remove":
        document = get_visible_or_404(
            request.user,
            CampaignDocument.objects.filter(campaign=campaign),
            CHANGE,
            pk=request.POST.get("document"),
        )
        audit(request, "document.delete", document)
        document_remove(actor=request.user, document=document)
        messages.success(request, _("Document removed."))
        return redirect("campaigns:documents", pk=campaign.pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = document_add(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("file" if error.code != ErrorCode.CLOSED else None, error)
        else:
            audit(request, "document.create", document)
            messages.success(request, _("Document added."))
            return redirect("campaigns:documents", pk=campaign.pk)
    documents = visible_to(request.user, CampaignDocument.objects.filter(campaign=campaign))
    return render(
        request,
        "campaigns/campaign_documents.html",
        {"campaign": campaign, "documents": documents, "form": form, "removing": None},
        status=400,
    )
