from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "ocophub.market"
    verbose_name = _("Market linkage")

    def ready(self) -> None:
        # Django loads models only after every AppConfig is imported: wire here, not above.
        from . import receivers  # noqa: F401
