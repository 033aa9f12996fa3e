"""Server-drawn bar charts (SVG), right-to-left aware, always paired with a table in the template."""

from django import template
from django.utils.html import format_html, format_html_join

from abwab.core.templatetags.display import day_label

register = template.Library()


@register.simple_tag(takes_context=True)
def bar_chart(context, series, width: int = 320, bar: int = 18) -> str:
    """Horizontal bars growing from the start edge (the right in Arabic), labels kept in the table."""
    rtl = context.get("LANGUAGE_BIDI", False)
    top = series.top or 1
    height = max(len(series.rows), 1) * (bar + 6)
    bars = []
    for index, (label, value) in enumerate(series.rows):
        length = int((width - 60) * value / top)
        x = width - length if rtl else 0
        y = index * (bar + 6)
        text_x = x - 4 if rtl else length + 4
        anchor = "end" if rtl else "start"
        bars.append((x, y, length, bar, day_label(label), value, text_x, y + bar - 4, anchor))
    shapes = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (x, y, w, h, label, value, tx, ty, anchor, value)
            for x, y, w, h, label, value, tx, ty, anchor in bars
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%">{}</svg>',
        series.title,
        width,
        height,
        shapes,
    )
