import datetime

from django.core.management.base import BaseCommand, CommandError

from ocophub.certificates.reminders import daily, thresholds


class Command(BaseCommand):
    help = (
        "Run daily: e-mail producers and responsible officers about OCOP certificates "
        "nearing expiry (once per certificate and threshold), and bring products' stars "
        "and status in line with their certificates (expired, revoked)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this day (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; send nothing."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: “{date}” is not a date like 2026-03-31.") from exc
        result = daily(today, dry_run)
        verb = "would send" if dry_run else "sent"
        for number, threshold, to in result.sent:
            where = ", ".join(to) if to else "the inbox only"
            self.stdout.write(f"{number}: {threshold}-day reminder {verb} to {where}")
        for number in result.skipped_no_recipient:
            self.stdout.write(f"{number}: nobody to remind")
        for name in result.synced:
            self.stdout.write(f"product updated: {name}")
        self.stdout.write(
            f"{len(result.sent)} reminder(s) {verb}, {len(result.synced)} product(s) "
            f"updated; thresholds {thresholds()} days."
        )
