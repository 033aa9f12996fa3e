"""The dashboard: where a territory stands, with drill-down to its children and a shaded tile map."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from abwab.core.scope import territory_or_404, visible_parent
from abwab.reports.selectors import dashboard, members_per_thousand


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    node = territory_or_404(request.user, request.GET.get("territory"))
    tiles = members_per_thousand(actor=request.user, territory=node)
    top = max((rate for _node, _count, rate in tiles), default=0) or 1
    context = {
        "node": node,
        "parent": visible_parent(request.user, node),
        "figures": dashboard(actor=request.user, territory=node),
        "tiles": [(child, count, rate, int(100 * rate / top)) for child, count, rate in tiles],
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures as a PDF report (Arabic shaped by WeasyPrint with the Amiri font)."""
    from weasyprint import HTML

    node = territory_or_404(request.user, request.GET.get("territory"))
    context = {
        "node": node,
        "figures": dashboard(actor=request.user, territory=node),
        "tiles": members_per_thousand(actor=request.user, territory=node),
    }
    html = render_to_string("reports/dashboard_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{node.code}.pdf"'},
    )
