from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "ocophub.certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        # Django loads models only after every AppConfig is imported: wire here, not above.
        from . import receivers  # noqa: F401
