from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ocophub.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a dated archive (ocophub-YYYYMMDD-HHMMSS.tar.gz) with a consistent snapshot "
        "of the database and the uploaded files; `restore` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=None,
            help="folder for the archive (default: backups/ under OCOP_VAR_DIR)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, output_dir, database, **options):
        directory = Path(output_dir) if output_dir else settings.VAR_DIR / "backups"
        try:
            path = backup(directory, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
