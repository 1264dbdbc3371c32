from django.urls import reverse
from django.utils.translation import gettext as _


def items(request):
    # Published products are public; signed-in users also see the drafts of their scope.
    return [{"url": reverse("products:list"), "label": _("Products"), "order": 10}]
