from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EpcisConfig(AppConfig):
    name = "ocophub.epcis"
    verbose_name = _("Supply-chain events (EPCIS)")

    def ready(self):
        from . import receivers  # noqa: F401
