from django.core.management.base import BaseCommand, CommandError

from ocophub.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (send it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label to recognise the token by")

    def handle(self, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        self.stdout.write(ApiToken.issue(user, name=name))
