"""How products extends the apps below it; imported by ProductsConfig.ready()."""

from django.db.models import Q

from ocophub.producers.publication import register_published_work

from .models import PUBLISHED


def producers_with_published_products() -> Q:
    return Q(products__status__in=PUBLISHED)


register_published_work(producers_with_published_products)
