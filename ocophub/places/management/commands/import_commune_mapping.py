from django.core.management.base import BaseCommand, CommandError

from ocophub.places.loading import MappingError, import_mapping


class Command(BaseCommand):
    help = "Import legacy→current commune mapping from a CSV with legacy_code,current_code."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")

    def handle(self, csv_path, **options):
        try:
            with open(csv_path, "rb") as fh:
                n = import_mapping(fh)
        except MappingError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        self.stdout.write(f"{n} communes mapped")
