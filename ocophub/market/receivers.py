"""Keeps the search index in step with the registry; imported by MarketConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ocophub.producers.models import Producer
from ocophub.products.models import Product

from .models import SearchEntry
from .search import index_product, unindex_product


@receiver(post_save, sender=Product, dispatch_uid="market-index-product")
def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_product(instance)


@receiver(post_save, sender=Producer, dispatch_uid="market-index-producer")
def producer_saved(sender, instance, raw=False, **kwargs):
    # The producer's name is in each of its products' text.
    if not raw:
        for product in instance.products.select_related("producer", "commune"):
            index_product(product)


@receiver(post_delete, sender=SearchEntry, dispatch_uid="market-unindex-product")
def entry_deleted(sender, instance, **kwargs):
    unindex_product(instance.product_id)
