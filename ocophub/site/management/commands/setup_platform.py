from django.core.management import call_command
from django.core.management.base import BaseCommand

from ocophub.places.models import Commune


class Command(BaseCommand):
    help = "Migrate, load administrative units and product groups, and (with --demo) demo data."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true")

    def handle(self, *args, demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not Commune.objects.exists():
            call_command("load_places", stdout=self.stdout)
        call_command("load_product_groups", stdout=self.stdout)
        call_command("load_criteria", stdout=self.stdout)
        call_command("load_compliance_data", stdout=self.stdout)
        if demo:
            call_command("load_demo", stdout=self.stdout)
