"""Which producers anyone may read: those with published work. What counts as published
is a rule of the apps above (products: a product certified, even if its certificate has
since expired), which add it here from their receivers.py; producers sits below them in
the layers and may not import them."""

from collections.abc import Callable

from django.db.models import Q

# Each returns a condition on Producer, such as Q(products__status__in=...).
_published_work: list[Callable[[], Q]] = []


def register_published_work(condition: Callable[[], Q]) -> None:
    if condition not in _published_work:
        _published_work.append(condition)


def published_work() -> Q:
    """Producers with published work by any registered rule; none when no app registered."""
    if not _published_work:
        return Q(pk__in=[])
    combined = Q()
    for condition in _published_work:
        combined |= condition()
    return combined
