from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "ocophub.products"
    verbose_name = _("Products")

    def ready(self) -> None:
        # Django loads models only after every AppConfig is imported: wire here, not above.
        from . import receivers  # noqa: F401
