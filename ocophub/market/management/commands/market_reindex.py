from django.core.management.base import BaseCommand

from ocophub.market.search import reindex_all
from ocophub.products.models import Product


class Command(BaseCommand):
    help = "Rebuild the market's search index from every product (after bulk loads)."

    def handle(self, *args, **options):
        reindex_all(Product.objects.all())
        self.stdout.write(f"indexed {Product.objects.count()} products")
