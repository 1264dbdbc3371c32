from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "ocophub.notices"
    verbose_name = _("Notices")

    def ready(self):
        from . import receivers  # noqa: F401
