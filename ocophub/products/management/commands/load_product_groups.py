from django.core.management.base import BaseCommand

from ocophub.products.loading import load_shipped


class Command(BaseCommand):
    help = "Load the OCOP product groups of 2019 and 2023 (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"{load_shipped()} product groups")
