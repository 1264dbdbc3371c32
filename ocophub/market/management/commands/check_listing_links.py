from django.core.management.base import BaseCommand

from ocophub.market.tasks import check_listing_links


class Command(BaseCommand):
    help = (
        "Run daily: queue a check of every live listing's link (the task worker asks "
        "each shop); a link failing 3 checks in a row is marked broken and its producer told."
    )

    def handle(self, *args, **options):
        result = check_listing_links.enqueue()
        self.stdout.write(f"link checks queued (task {result.id}, {result.status})")
