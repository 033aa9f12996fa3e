"""The public news page: published communiqués, their Atom feed and their PDF. No login; only
what was published is ever read here."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from abwab.meetings.models import Communique, CommuniqueStatus


def published():
    return (
        Communique.objects.filter(status=CommuniqueStatus.PUBLISHED)
        .select_related("meeting__body")
        .order_by("-published_at")
    )


def _get(slug: str) -> Communique:
    communique = published().filter(slug=slug).first()
    if communique is None:
        raise Http404
    return communique


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/news_list.html", {"communiques": published()[:50]})


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "meetings/news_detail.html", {"communique": _get(slug)})


@require_GET
def news_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The communiqué as a PDF, Arabic shaped by WeasyPrint with the Amiri font."""
    from weasyprint import HTML

    communique = _get(slug)
    html = render_to_string("meetings/news_pdf.html", {"communique": communique})
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{communique.slug}.pdf"'
    return response


class TextAtom1Feed(Atom1Feed):
    """Atom whose summaries are typed text, not html: a communiqué is what its writer typed, and a
    feed reader would run the markup of an html summary (titles are text already)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class NewsFeed(Feed):
    feed_type = TextAtom1Feed
    title = "Abwab — بلاغات"
    link = "/news/"
    subtitle = "Communiqués"

    def items(self):
        return published()[:30]

    def item_title(self, item: Communique) -> str:
        return item.title

    def item_description(self, item: Communique) -> str:
        return item.text

    def item_link(self, item: Communique) -> str:
        return reverse("news:detail", args=[item.slug])

    def item_pubdate(self, item: Communique):
        return item.published_at
