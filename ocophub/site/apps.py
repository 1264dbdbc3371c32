from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top row: the home page and demo data, assembled from every app below.
    Its label is "site" (django.contrib.sites, not installed, would be "sites")."""

    name = "ocophub.site"
    label = "site"
    verbose_name = _("Site")
