from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "ocophub.trace"
    verbose_name = _("Traceability")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ocophub.certificates.models import Certificate
        from ocophub.products.models import Product

        from .views import forget_scan_pages

        # A revoked certificate or an edited product shows on the next scan, not a
        # minute later; new supply-chain events may take that minute.
        for model in (Certificate, Product):
            post_save.connect(forget_scan_pages, sender=model, dispatch_uid=f"scan-{model}")
            post_delete.connect(forget_scan_pages, sender=model, dispatch_uid=f"scan-d-{model}")
