from pathlib import Path

from django.core.management.base import BaseCommand

from ocophub.compliance import reference


class Command(BaseCommand):
    help = "Load code schemes, markets, crops and substance lists (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=reference.DATA)

    def handle(self, *args, file, **options):
        self.stdout.write(reference.load(file))
