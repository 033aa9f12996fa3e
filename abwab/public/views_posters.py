"""Posters to print, texts to share, and the campaign's documents to read (no login). Everything
here reads public data only: public events of launched campaigns (abwab.public.selectors), their
offices' public details, and documents marked public (abwab.campaigns.documents)."""

import hashlib
from urllib.parse import quote

import segno
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from abwab.campaigns.documents import document_summary, document_title, public_documents
from abwab.campaigns.models import Event
from abwab.core import dates
from abwab.core.language import with_language
from abwab.public import selectors, sharing
from abwab.public.views_pages import MAX_AGE, public_page
from abwab.territory.models import Level, Territory

DOCUMENT_MAX_AGE = 3600
PDF_CACHE_SECONDS = 3600


def _language(request: HttpRequest) -> str:
    return dates.page_language(translation.get_language())


def _event_link(request: HttpRequest, event: Event, language: str) -> str:
    """The office's public page, absolute (a QR code or a shared message leaves the site)."""
    return request.build_absolute_uri(
        with_language(reverse("public:event", args=[event.pk]), language)
    )


def _public_event(pk: int) -> Event:
    event = selectors.public_event_or_none(pk)
    if event is None:  # internal, of a draft or closed campaign, or no such event
        raise Http404
    return event


def _poster_context(request: HttpRequest, event: Event, *, pdf: bool) -> dict:
    language = _language(request)
    link = _event_link(request, event, language)
    qr = segno.make(link, error="m").svg_inline(scale=4, omitsize=True, dark="#111")
    other = "fr" if language == "ar" else "ar"
    return {
        "event": event,
        "office": event.office,
        "campaign": event.campaign,
        "place": event.office.territory,
        "days": sharing.event_days(event, language),
        "hours": sharing.event_hours(event),
        "link": link,
        "qr": mark_safe(qr),  # noqa: S308 - segno's SVG of our own URL
        "pdf": pdf,
        "other_language": other,
        "other_url": with_language(reverse("public:poster", args=[event.pk]), other),
        "pdf_url": with_language(reverse("public:poster_pdf", args=[event.pk]), language),
    }


@public_page
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 poster for the office's door and the neighbourhood: days, hours, address, QR code."""
    event = _public_event(pk)
    context = _poster_context(request, event, pdf=False)
    return render(request, "public/poster.html", context)


@public_page
def poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same poster as a PDF (Arabic shaped by WeasyPrint with the Amiri font)."""
    from weasyprint import HTML

    event = _public_event(pk)
    html = render_to_string(
        "public/poster.html", _poster_context(request, event, pdf=True), request=request
    )
    # WeasyPrint takes a second of CPU: a public URL must not cost that on every hit, so the PDF is
    # kept under the hash of the HTML it is made from (an edited event or office is a new key).
    key = "public:poster:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"poster-{event.pk}-{_language(request)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
def share(request: HttpRequest, code: str) -> HttpResponse:
    """A province's open offices as a message to paste; `?to=whatsapp` hands it to WhatsApp."""
    province = Territory.objects.filter(code=code, level=Level.PROVINCE).first()
    if province is None:
        raise Http404
    language = _language(request)
    text = sharing.share_text(
        province,
        selectors.events_at_or_below(province),
        language=language,
        link=lambda event: _event_link(request, event, language),
    )
    if request.GET.get("to") == "whatsapp":
        response = HttpResponseRedirect(f"https://wa.me/?text={quote(text, safe='')}")
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response
    context = {
        "province": province,
        "text": text,
        "whatsapp_url": with_language(
            reverse("public:share", args=[code]), language, to="whatsapp"
        ),
        "page_url": request.build_absolute_uri(
            with_language(reverse("public:province", args=[code]), language)
        ),
    }
    return render(request, "public/share.html", context)


@public_page
def documents(request: HttpRequest) -> HttpResponse:
    """The launched campaign's public documents, titled and summarised in the page's language."""
    language = _language(request)
    rows = [
        {
            "document": document,
            "title": document_title(document, language),
            "summary": document_summary(document, language),
            "url": with_language(reverse("public:document", args=[document.pk]), language),
        }
        for document in public_documents().order_by("campaign", "kind", "-added_at")
    ]
    return render(request, "public/documents.html", {"rows": rows})


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """One public document, read in the browser (inline) under its own file name."""
    found = public_documents().filter(pk=pk).first()
    if found is None or not found.file:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        filename=found.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
    patch_cache_control(response, public=True, max_age=DOCUMENT_MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"
    return response
