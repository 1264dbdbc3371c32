import time

from django.core.management.base import BaseCommand

from ocophub.places.loading import load_shipped


class Command(BaseCommand):
    help = "Load current and legacy administrative units (idempotent) and carried-code mappings."

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = load_shipped()
        (cp, cc), (lp, ld, lc) = counts["current"], counts["legacy"]
        self.stdout.write(
            f"current: {cp} provinces, {cc} communes; legacy: {lp} provinces, {ld} districts, "
            f"{lc} communes; {counts['mapped']} legacy communes mapped by carried code "
            f"({time.monotonic() - started:.1f}s)"
        )
