"""How certificates extends the apps below it; imported by CertificatesConfig.ready()."""

from ocophub.products.standing import register_certificate_brief

from .models import certificate_brief

register_certificate_brief(certificate_brief)
