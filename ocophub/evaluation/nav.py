from django.urls import reverse
from django.utils.translation import gettext as _


def items(request):
    if request.user.is_authenticated:
        return [{"url": reverse("evaluation:rounds"), "label": _("Evaluation")}]
    return [{"url": reverse("evaluation:criteria"), "label": _("OCOP criteria")}]
