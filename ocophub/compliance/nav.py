from django.urls import reverse
from django.utils.translation import gettext as _

from .views import may_check


def items(request):
    if not may_check(request.user):
        return []
    return [
        {"url": reverse("compliance:codes"), "label": _("Export codes")},
        {"url": reverse("compliance:map"), "label": _("Map of codes")},
        {"url": reverse("compliance:reports"), "label": _("Compliance reports")},
        {"url": reverse("compliance:eligibility"), "label": _("Export check")},
    ]
