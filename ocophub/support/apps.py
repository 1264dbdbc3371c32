from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "ocophub.support"
    verbose_name = _("Farmers' union support")
