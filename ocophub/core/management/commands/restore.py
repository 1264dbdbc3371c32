from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocophub.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Bring the database and uploaded files back to a `backup` archive: everything "
        "written since is lost. Stop the web server and the task worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="an archive written by `manage.py backup`")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, archive, database, interactive, **options):
        path = Path(archive)
        try:
            manifest = read_manifest(path)
            if interactive:
                answer = input(
                    f"Replace the database and uploaded files with the backup of "
                    f"{manifest['created']}? Type 'yes' to go on: "
                )
                if answer != "yes":
                    raise CommandError("Restore cancelled.")
            restore(path, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the backup of {manifest['created']}.")
