"""The certificate that explains a product's standing, as the products API shows it.
Certificates sit above products in the layers (row 7 over row 6), so the certificates
app registers its rule here from its receivers.py; without it a product shows none."""

from collections.abc import Callable
from typing import Any

# product -> {"number", "status", "valid_until"} or None
CertificateBrief = Callable[[Any], dict[str, Any] | None]
_brief: list[CertificateBrief] = []


def register_certificate_brief(rule: CertificateBrief) -> None:
    _brief[:] = [rule]


def certificate_brief(product: Any) -> dict[str, Any] | None:
    return _brief[0](product) if _brief else None
