"""List pages: sorting by a whitelisted column and page-number pagination."""

from django.core.paginator import Paginator

PER_PAGE = 25


def sorted_by(request, queryset, columns, default):
    """Order by `?sort=col` or `?sort=-col` if `col` is in `columns` (name → field)."""
    key = request.GET.get("sort", default)
    name = key.lstrip("-")
    if name not in columns:
        key, name = default, default.lstrip("-")
    field = columns[name]
    return queryset.order_by(("-" if key.startswith("-") else "") + field, "pk"), key


def paginated(request, queryset, per_page=PER_PAGE):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
