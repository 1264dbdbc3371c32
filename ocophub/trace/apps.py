from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "ocophub.trace"
    verbose_name = _("Traceability")

    def ready(self) -> None:
        # Django loads models only after every AppConfig is imported: wire here, not above.
        from . import receivers  # noqa: F401
