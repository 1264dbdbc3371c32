from django import template
from django.utils.html import format_html

from ocophub.core.i18n import page_name

register = template.Library()


@register.filter
def star_rating(stars):
    """★★★☆☆ with an accessible label; an em dash when there is no rating."""
    if not stars:
        return "—"
    stars = int(stars)
    return format_html(
        '<span class="stars" role="img" aria-label="{} ★">{}</span>',
        stars,
        "★" * stars + "☆" * (5 - stars),
    )


@register.simple_tag(takes_context=True)
def sort_link(context, column, label):
    """A column header that sorts by `column`, toggling direction."""
    request = context["request"]
    current = context.get("sort", "")
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{column}" if current == column else column
    arrow = " ▲" if current == column else (" ▼" if current == f"-{column}" else "")
    return format_html('<a href="?{}">{}{}</a>', query.urlencode(), label, arrow)


@register.simple_tag
def history_changes(record):
    """What one audit-history record changed: [(field label, old, new)]."""
    prev = record.prev_record
    if prev is None:
        return []
    delta = record.diff_against(prev)
    model = record.instance_type
    out = []
    for change in delta.changes:
        try:
            label = model._meta.get_field(change.field).verbose_name
        except Exception:
            label = change.field
        out.append((label, change.old, change.new))
    return out


@register.filter(name="page_name")
def page_name_filter(record):
    """`{{ product|page_name }}`: the English name on an English page (core.i18n)."""
    return page_name(record)
