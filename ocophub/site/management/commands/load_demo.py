from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data of every app (each app's demo.load); safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app in settings.OCOP_APPS:
                try:
                    module = import_module(f"ocophub.{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"ocophub.{app}.demo":
                        raise
                    continue
                summary = module.load()
                if summary:
                    self.stdout.write(f"{app}: {summary}")
