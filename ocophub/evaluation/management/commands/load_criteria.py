from django.core.management.base import BaseCommand, CommandError

from ocophub.evaluation.criteria_io import CriteriaError
from ocophub.evaluation.loading import load_shipped


class Command(BaseCommand):
    help = (
        "Load the OCOP criteria sets shipped in ocophub/evaluation/data (idempotent; a set "
        "already used by dossiers is left as it is)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Rewrite sets that no dossier uses yet from the data files.",
        )

    def handle(self, *args, replace=False, **options):
        try:
            loaded = load_shipped(replace=replace)
        except CriteriaError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(f"{len(loaded)} criteria sets")
